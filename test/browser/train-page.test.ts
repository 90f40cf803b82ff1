/**
 * Training in a real browser tab (#18): the training page (web/train.html) trains the shipped
 * tiny MNIST-captions MVAE in Debian's Chromium on the samples the build wrote, is paused and
 * resumed, and saves the run as a zip; here, in Node, the zip is unpacked into a run directory
 * that loadRun opens (its manifest's checksums checked) and whose codes equal what the tab
 * reported to 1e-4, and that evalJob evaluates. The tab's tensor count must not grow across
 * epochs.
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/api/load-run.js';
import { evalJob } from '../../src/experiment/eval-job.js';
import { buildWeb } from '../../web/build.js';
import { chromiumMissing, launchChromium } from '../../web/chromium.js';
import { startStaticServer, type StaticServer } from '../../web/static-server.js';
import { parseTrainData } from '../../web/train-data.js';
import { unzipStore } from '../../web/zip.js';

const missing = chromiumMissing();
if (missing) console.warn(`Skipping the browser training tests: ${missing}.`);

const TOLERANCE = 1e-4;
const EPOCHS = 3;
const SCREENSHOTS = process.env.MMAE_SCREENSHOTS === '1';

/** window.trainPage as the page keeps it (web/train-page.ts). */
interface TabState {
  phase: string;
  backend?: string;
  losses: { epoch: number; done: number; steps: number; loss: number }[];
  epochs: { epoch: number; train: Record<string, number>; validation?: Record<string, number> }[];
  tensorsAfterEpoch: number[];
  steps: number;
  pauses: { at: number; resumedAt?: number }[];
  report?: { caption: string; captionCode: number[]; imageIndex: number; imageCode: number[] };
  savedBytes?: number;
  error?: string;
}

function maxAbsDifference(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

describe.skipIf(missing !== undefined)('training in a Chromium tab', () => {
  let dir: string;
  let buildDir: string;
  let server: StaticServer;
  let browser: Browser;
  let page: Page;
  const errors: string[] = [];
  const tab = () =>
    page.evaluate(() => (globalThis as unknown as { trainPage: TabState }).trainPage);

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmae-train-page-'));
    buildDir = (await buildWeb({ outDir: join(dir, 'web'), trainData: ['mnist-captions-tiny'] }))
      .outDir;
    server = await startStaticServer({ buildDir });
    browser = await launchChromium();
    page = await browser.newPage({ acceptDownloads: true });
    page.on('pageerror', (error) => errors.push(error.message));
  }, 300_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let zipPath: string;
  let savedRun: string | undefined;

  it('trains, pauses between steps, resumes, and keeps the tensor count flat', async () => {
    await page.goto(
      `${server.url}/train.html?config=mnist-captions-tiny&backend=wasm&epochs=${EPOCHS}`,
    );
    await page.waitForSelector('#status[data-ready="true"]', { timeout: 60_000 });
    await page.click('#train');
    await page.waitForFunction(
      () => (globalThis as unknown as { trainPage: TabState }).trainPage.steps >= 5,
      undefined,
      { timeout: 120_000 },
    );
    await page.click('#pause');
    await page.waitForSelector('#status[data-phase="paused"]', { timeout: 30_000 });
    const pausedAt = (await tab()).steps;
    await page.waitForTimeout(1500);
    // Nothing trains while paused.
    expect((await tab()).steps).toBe(pausedAt);
    expect(await page.textContent('#pause')).toBe('Resume');
    await page.click('#pause');
    await page.waitForSelector('#status[data-phase="done"], #status[data-phase="failed"]', {
      timeout: 240_000,
    });
    const state = await tab();
    expect(state.error).toBeUndefined();
    expect(errors).toEqual([]);
    expect(state.phase).toBe('done');
    expect(state.backend).toBe('wasm');
    expect(state.pauses).toEqual([{ at: pausedAt, resumedAt: pausedAt }]);
    // 600 pairs in batches of 32: 19 steps an epoch.
    expect(state.steps).toBe(EPOCHS * 19);
    expect(state.epochs.map((m) => m.epoch)).toEqual([0, 1, 2]);
    for (const m of state.epochs) {
      expect(Number.isFinite(m.train.total)).toBe(true);
      expect(Number.isFinite(m.validation?.total)).toBe(true);
    }
    // It learns: the last epoch's loss is below the first's.
    expect(state.epochs[2]!.train.total!).toBeLessThan(state.epochs[0]!.train.total!);
    expect(state.losses.length).toBeGreaterThanOrEqual(EPOCHS * 2);
    // Per epoch a row of reconstructions was drawn, and freed: the tensor count stays flat.
    expect(await page.locator('.recon-row').count()).toBe(EPOCHS);
    expect(state.tensorsAfterEpoch).toHaveLength(EPOCHS);
    expect(new Set(state.tensorsAfterEpoch).size).toBe(1);
    if (SCREENSHOTS) {
      await mkdir(join('docs', 'images'), { recursive: true });
      await page.screenshot({
        path: join('docs', 'images', 'browser-training.png'),
        fullPage: true,
      });
    }
  }, 400_000);

  it('saves a zip that loadRun opens, with the codes the tab reported, and evalJob evaluates', async () => {
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    zipPath = join(dir, download.suggestedFilename());
    await download.saveAs(zipPath);
    expect(download.suggestedFilename()).toMatch(/^page-mnist-captions-tiny-\d{8}T\d{6}\.zip$/);
    const zip = new Uint8Array(await readFile(zipPath));
    const state = await tab();
    expect(state.savedBytes).toBe(zip.byteLength);
    const files = unzipStore(zip);
    const runName = download.suggestedFilename().replace(/\.zip$/, '');
    expect([...files.keys()].map((name) => name.slice(runName.length + 1)).sort()).toEqual([
      'config.json',
      'manifest.json',
      'metrics.jsonl',
      'model.json',
      'optimizer.bin',
      'optimizer.json',
      'state.json',
      'weights.bin',
    ]);
    const out = join(dir, 'unzipped');
    for (const [name, bytes] of files) {
      await mkdir(dirname(join(out, name)), { recursive: true });
      await writeFile(join(out, name), bytes);
    }
    const runDir = join(out, runName);
    const manifest = JSON.parse(await readFile(join(runDir, 'manifest.json'), 'utf8')) as {
      generation: number;
      nodeVersion: string;
      backend: string;
    };
    expect(manifest.generation).toBe(EPOCHS);
    expect(manifest.nodeVersion).toMatch(/^browser: .*Chrome/);
    expect(manifest.backend).toBe('wasm');
    const metrics = (await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    expect(metrics.map((l) => (JSON.parse(l) as { epoch: number }).epoch)).toEqual([0, 1, 2]);
    const optimizer = JSON.parse(await readFile(join(runDir, 'optimizer.json'), 'utf8')) as {
      trainerState: { epoch: number; step: number };
    };
    expect(optimizer.trainerState).toMatchObject({ epoch: EPOCHS, step: EPOCHS * 19 });

    // loadRun checks every checksum and weight; its codes equal the tab's.
    const model = await loadRun(runDir, { backend: 'cpu' });
    try {
      const report = state.report!;
      const data = parseTrainData(
        new Uint8Array(await readFile(join(buildDir, 'train-data', 'mnist-captions-tiny.bin'))),
      );
      const per = 28 * 28;
      const pixels = data.validation.pixels.slice(
        report.imageIndex * per,
        (report.imageIndex + 1) * per,
      );
      expect(report.caption).toBe(data.validation.captions[report.imageIndex]);
      const captionCode = await model.encode({ text: report.caption });
      const imageCode = await model.encode({
        image: { width: 28, height: 28, channels: 1, data: pixels },
      });
      expect(report.captionCode).toHaveLength(8);
      expect(maxAbsDifference(captionCode, report.captionCode)).toBeLessThanOrEqual(TOLERANCE);
      expect(maxAbsDifference(imageCode, report.imageCode)).toBeLessThanOrEqual(TOLERANCE);
    } finally {
      model.dispose();
    }

    savedRun = runDir;
  }, 400_000);

  it('is a run evalJob (mmae eval) evaluates unchanged', async () => {
    expect(savedRun).toBeDefined();
    // MNIST's test split, 1,000 images as the config limits it; the probe reads the 600 pairs.
    const evaluated = await evalJob(savedRun!, {
      backend: 'wasm',
      log: () => {},
      probeRows: 600,
      iwSamples: 2,
      iwRows: 50,
    });
    expect(evaluated.epochs).toBe(EPOCHS);
    expect(evaluated.testSize).toBe(1000);
    expect(Number.isFinite(evaluated.testLoss.total)).toBe(true);
  }, 400_000);
});
