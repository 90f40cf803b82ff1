/**
 * Debian's Chromium for the browser tests and bench/browser-inference.ts, driven by
 * playwright-core (Playwright's own browser download is not reachable from this project's
 * machines; `.ci/run` installs the Debian package). MMAE_CHROMIUM names another executable.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = process.env.MMAE_CHROMIUM ?? '/usr/bin/chromium';

/** Why the browser tests cannot run here, or undefined when they can. */
export function chromiumMissing(): string | undefined {
  return existsSync(CHROMIUM)
    ? undefined
    : `no Chromium at ${CHROMIUM} (apt-get install -y chromium, as .ci/run does, or set MMAE_CHROMIUM)`;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // --no-sandbox: CI runs as root in a container, where Chromium's sandbox cannot start.
    // SwiftShader gives headless Chromium a WebGL without a GPU (Chromium 13x+ wants it asked
    // for), so the webgl backend is tested too where the build has it.
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'],
  });
}
