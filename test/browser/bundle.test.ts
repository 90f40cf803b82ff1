/**
 * The browser bundle's entry (web/entry.ts) takes the portable path only: no Node built-in,
 * Node-only package, backend selection or speed engine, and no Node global in mmae's modules or
 * in web/'s own, by the scan test/portable/ applies to the portable core.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { bundleForBrowser, nodeGlobalsIn } from '../portable/node-only-imports.js';

describe('the browser bundle of web/entry.ts', () => {
  it('pulls in nothing Node-only, and its own modules use no Node global', async () => {
    const bundle = await bundleForBrowser('web/entry.ts');
    expect(bundle.nodeOnly, `Node-only imports:\n${bundle.nodeOnly.join('\n')}`).toEqual([]);
    const own = bundle.inputs.filter((file) => file.startsWith('web/'));
    expect(own).toEqual(
      expect.arrayContaining(['web/entry.ts', 'web/backends.ts', 'web/fetch-run.ts']),
    );
    const globals = [
      ...bundle.nodeGlobals,
      ...own.flatMap((file) => nodeGlobalsIn(file, readFileSync(file, 'utf8'))),
    ];
    expect(globals, `Node globals used:\n${globals.join('\n')}`).toEqual([]);
    // tfjs's wasm backend is in it (the binaries are served beside it, web/build.ts).
    expect(bundle.inputs.some((f) => f.includes('tfjs-backend-wasm'))).toBe(true);
  }, 120_000);
});
