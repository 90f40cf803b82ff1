/**
 * Training in the page, measured (#18's target: the page trains the mnist-captions MVAE on 5,000
 * pairs to text → image coherence ≥ 90 %, judged by `mmae eval` on the saved run). Builds the
 * page with one shipped config's samples, trains it in Debian's Chromium through the page's own
 * buttons, saves the zip, unpacks it and runs evalJob on it; prints the tab's time per epoch, its
 * losses, and the evaluation's coherence.
 *
 *   npx tsx bench/browser-training.ts [--config mnist-captions-5k] [--backend wasm|webgl|cpu|auto]
 *                                     [--epochs N] [--keep DIR]
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { evalJob } from '../src/experiment/eval-job.js';
import { buildWeb } from '../web/build.js';
import { chromiumMissing, launchChromium } from '../web/chromium.js';
import { PAGE_CONFIGS } from '../web/page-configs.js';
import { startStaticServer } from '../web/static-server.js';
import { unzipStore } from '../web/zip.js';

function flag(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at >= 0 ? process.argv[at + 1] : undefined;
}

const configId = flag('--config') ?? 'mnist-captions-5k';
const backend = flag('--backend') ?? 'wasm';
const epochs = flag('--epochs');
const keep = flag('--keep');
if (!PAGE_CONFIGS.some((c) => c.id === configId)) {
  throw new Error(`--config must be one of ${PAGE_CONFIGS.map((c) => c.id).join(', ')}`);
}
if (epochs !== undefined && !/^[1-9]\d?$/.test(epochs)) throw new Error('--epochs: 1 to 99');
const missing = chromiumMissing();
if (missing) throw new Error(missing);

const dir = await mkdtemp(join(tmpdir(), 'mmae-bench-train-'));
try {
  const built = await buildWeb({ outDir: join(dir, 'web'), trainData: [configId] });
  const server = await startStaticServer({ buildDir: built.outDir });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ acceptDownloads: true });
    const query = `config=${configId}&backend=${backend}${epochs ? `&epochs=${epochs}` : ''}`;
    await page.goto(`${server.url}/train.html?${query}`);
    await page.waitForSelector('#status[data-ready="true"]', { timeout: 60_000 });
    const started = Date.now();
    await page.click('#train');
    await page.waitForSelector('#status[data-phase="done"], #status[data-phase="failed"]', {
      timeout: 3_600_000,
    });
    const wall = (Date.now() - started) / 1000;
    const state = (await page.evaluate(
      () => (globalThis as { trainPage?: unknown }).trainPage,
    )) as {
      phase: string;
      error?: string;
      backend: string;
      epochs: {
        epoch: number;
        seconds: number;
        train: { total: number };
        validation?: { total: number };
      }[];
      tensorsAfterEpoch: number[];
    };
    if (state.phase !== 'done') throw new Error(`the page failed: ${state.error}`);
    console.log(
      `${configId} on ${state.backend}: ${wall.toFixed(1)} s in the tab from Train to done`,
    );
    for (const m of state.epochs) {
      console.log(
        `  epoch ${m.epoch + 1}: ${m.seconds.toFixed(1)} s, loss ${m.train.total.toFixed(2)}, ` +
          `validation ${m.validation?.total.toFixed(2)}`,
      );
    }
    console.log(`  tensors after each epoch: ${state.tensorsAfterEpoch.join(', ')}`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#save')]);
    const zip = new Uint8Array(await readFile(await download.path()));
    const out = resolve(keep ?? join(dir, 'runs'));
    for (const [name, bytes] of unzipStore(zip)) {
      await mkdir(dirname(join(out, name)), { recursive: true });
      await writeFile(join(out, name), bytes);
    }
    const runDir = join(out, download.suggestedFilename().replace(/\.zip$/, ''));
    console.log(
      `saved ${download.suggestedFilename()} (${(zip.byteLength / 1024).toFixed(0)} KiB) → ${runDir}`,
    );
    const evalStarted = Date.now();
    const report = await evalJob(runDir, { backend: 'wasm', log: () => {} });
    const coherence = report.crossModal?.coherence;
    console.log(
      `mmae eval (${((Date.now() - evalStarted) / 1000).toFixed(0)} s, ${report.testSize} test items):`,
    );
    console.log(`  judges' accuracy: ${JSON.stringify(report.crossModal?.classifierAccuracy)}`);
    console.log(`  coherence: ${JSON.stringify(coherence)}`);
  } finally {
    await browser.close();
    await server.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
