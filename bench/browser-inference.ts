/**
 * In-browser inference latency (#18's target: encode a caption and decode an image in ≤ 50 ms in
 * Chromium). Opens a run in Debian's Chromium through the browser bundle and the static server,
 * then times, in the tab, `encode({ text })` followed by `decode(code, 'image')` (features and
 * the PNG), N times after a warm-up; prints the median with min–max, and each step's median.
 *
 *   npx tsx bench/browser-inference.ts [RUN] [--n 50] [--backend wasm|webgl|cpu|auto]
 *                                      [--config configs/mnist-image-text-poe.yaml]
 *
 * Without RUN it trains the config's architecture for one epoch on 600 pairs into a temporary
 * folder: latency depends on the layers, not on how well they were trained.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseConfig } from '../src/config/parse-config.js';
import { trainJob } from '../src/experiment/train-job.js';
import { buildWeb } from '../web/build.js';
import { chromiumMissing, launchChromium } from '../web/chromium.js';
import { startStaticServer } from '../web/static-server.js';
import { intArg, parseArgs } from './workloads/cli-args.js';
import { median } from './workloads/latency.js';

interface Timings {
  readonly backend: string;
  readonly reason: string;
  readonly total: number[];
  readonly encode: number[];
  readonly decode: number[];
}

async function trainedRun(configPath: string, dir: string): Promise<string> {
  const raw = parse(await readFile(configPath, 'utf8')) as Record<string, unknown>;
  const dataset = raw.dataset as { options?: Record<string, unknown> };
  dataset.options = { ...dataset.options, trainLimit: 600, validationSize: 100, testLimit: 100 };
  raw.training = { ...(raw.training as object), epochs: 1 };
  const out = join(dir, 'run');
  const trained = await trainJob({
    config: { config: parseConfig(raw, configPath), baseDir: process.cwd() },
    out,
    quiet: true,
    log: () => {},
  });
  trained.model.dispose();
  return out;
}

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const args = parseArgs(argv);
  const n = intArg(args, 'n', 50);
  const backend = args.get('backend') ?? 'wasm';
  const configPath = args.get('config') ?? 'configs/mnist-image-text-poe.yaml';
  const missing = chromiumMissing();
  if (missing) throw new Error(`cannot run the browser benchmark: ${missing}`);
  const dir = await mkdtemp(join(tmpdir(), 'mmae-bench-browser-'));
  try {
    const given = argv[0] !== undefined && !argv[0].startsWith('--') ? argv[0] : undefined;
    const runDir = given ?? (await trainedRun(configPath, dir));
    const built = await buildWeb({ outDir: join(dir, 'web') });
    const server = await startStaticServer({ buildDir: built.outDir, runDir });
    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      // Which of tfjs-backend-wasm's binaries the tab chose (plain, SIMD or threaded SIMD).
      const binaries = new Set<string>();
      page.on('request', (r) => {
        if (r.url().endsWith('.wasm')) binaries.add(r.url().split('/').pop()!);
      });
      await page.goto(`${server.url}/inference.html`);
      await page.waitForFunction(() => 'mmae' in globalThis, undefined, { timeout: 60_000 });
      const timings: Timings = await page.evaluate(
        async ({ n, backend }) => {
          type Run = {
            backend: { name: string; reason: string };
            modalities: { name: string; plugin: string }[];
            encode(input: Record<string, unknown>): Promise<Float32Array>;
            decode(latent: Float32Array, modality: string): Promise<unknown>;
            dispose(): void;
          };
          const mmae = (
            globalThis as unknown as {
              mmae: { openRun(url: string, o: { backend: string }): Promise<Run> };
            }
          ).mmae;
          const run = await mmae.openRun('/run/', { backend });
          const text = run.modalities.find((m) => m.plugin === 'text')!.name;
          const image = run.modalities.find((m) => m.plugin === 'image')!.name;
          const captions = ['a handwritten seven', 'the digit three', 'a zero', 'an eight'];
          const out = { total: [] as number[], encode: [] as number[], decode: [] as number[] };
          for (let i = -5; i < n; i++) {
            const t0 = performance.now();
            const code = await run.encode({ [text]: captions[(i + 5) % captions.length] });
            const t1 = performance.now();
            await run.decode(code, image);
            const t2 = performance.now();
            if (i < 0) continue; // warm-up: shader compilation, first kernel calls
            out.total.push(t2 - t0);
            out.encode.push(t1 - t0);
            out.decode.push(t2 - t1);
          }
          const chosen = run.backend;
          run.dispose();
          return { backend: chosen.name, reason: chosen.reason, ...out };
        },
        { n, backend },
      );
      const stat = (xs: number[]) =>
        `${median(xs).toFixed(2)} ms (${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)})`;
      console.log(`run: ${given ?? `${configPath}, 1 epoch on 600 pairs`}`);
      const fetched = binaries.size > 0 ? `; fetched ${[...binaries].join(', ')}` : '';
      console.log(`chromium backend: ${timings.backend} (${timings.reason})${fetched}`);
      console.log(`encode caption + decode image, median of ${n}: ${stat(timings.total)}`);
      console.log(`  encode ${stat(timings.encode)}; decode ${stat(timings.decode)}`);
    } finally {
      await browser.close();
      await server.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
