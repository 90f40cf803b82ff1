/**
 * Is memory flat across epochs? Trains W5's or W6's model (the benchmark's own config, on the
 * first --images training images) for --epochs epochs through `trainJob` and records, after each
 * epoch's checkpoint is written, tfjs's live tensor count and bytes, the WebAssembly heap (it only
 * grows, so a leak of wasm-backed tensors shows here even if their handles were freed) and the
 * process's RSS. Flat means: the tensor count equal from the first epoch on, and the heap and RSS
 * no longer growing after the first (which pays for warm-up: kernel buffers, the pool, caches).
 * Prints one JSON line.
 *
 *   tsx bench/workloads/memory-across-epochs.ts [--workload W5|W6] [--images 5120] [--epochs 5]
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/parse-config.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { w5Config } from './w5-conv-vae.js';
import { w6Config } from './w6-conv-vae-rgb.js';
import { ensureShapes } from './w6-shapes.js';

type RawConfig = { dataset: { options: Record<string, unknown> } };

/** Each workload's config on its first `images` training images, validation off. */
const CONFIGS: Record<string, (epochs: number, images: number) => Promise<RawConfig>> = {
  W5: async (epochs, images) => {
    const raw = w5Config(epochs, images, 42, 'wasm') as RawConfig;
    raw.dataset.options = { ...raw.dataset.options, validationSize: 0, trainLimit: images };
    return raw;
  },
  W6: async (epochs, images) => {
    const dir = await ensureShapes(42, images, 64);
    return w6Config(epochs, 42, 'wasm', join(dir, 'manifest.csv')) as RawConfig;
  },
};

interface EpochMemory {
  readonly epoch: number;
  readonly seconds: number;
  readonly numTensors: number;
  readonly tensorMB: number;
  readonly wasmHeapMB: number;
  readonly rssMB: number;
}

const MB = 1024 * 1024;

/** The wasm backend's heap, when the backend is wasm (its `wasm.HEAPU8` is tfjs-internal). */
function wasmHeapBytes(): number {
  const backend = tf.backend() as unknown as { wasm?: { HEAPU8?: Uint8Array } };
  return backend.wasm?.HEAPU8?.byteLength ?? 0;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workload = (args.get('workload') ?? 'W5').toUpperCase();
  const images = intArg(args, 'images', 5120);
  const epochs = intArg(args, 'epochs', 5);
  const make = CONFIGS[workload];
  if (!make) throw new Error(`--workload: '${workload}' is not one of ${Object.keys(CONFIGS)}`);
  const config = parseConfig(await make(epochs, images), `bench ${workload} memory config`);
  const out = await mkdtemp(join(tmpdir(), 'mmae-bench-memory-'));
  const rows: EpochMemory[] = [];
  try {
    const job = await trainJob({
      config: { config, baseDir: process.cwd() },
      out: join(out, 'run'),
      quiet: true,
      log: () => {},
      onEpoch: (metrics) => {
        const memory = tf.memory();
        rows.push({
          epoch: rows.length + 1,
          seconds: metrics.seconds,
          numTensors: memory.numTensors,
          tensorMB: memory.numBytes / MB,
          wasmHeapMB: wasmHeapBytes() / MB,
          rssMB: process.memoryUsage().rss / MB,
        });
      },
    });
    job.model.dispose();
  } finally {
    await rm(out, { recursive: true, force: true });
  }
  const later = rows.slice(1);
  const spread = (pick: (r: EpochMemory) => number) =>
    later.length === 0 ? 0 : Math.max(...later.map(pick)) - Math.min(...later.map(pick));
  process.stdout.write(
    `${JSON.stringify({
      workload,
      images,
      epochs,
      backend: tf.getBackend(),
      perEpoch: rows,
      // From epoch 2 on: the growth a leak would show as a steady climb.
      tensorsFlat: new Set(rows.map((r) => r.numTensors)).size === 1,
      rssSpreadAfterFirstMB: spread((r) => r.rssMB),
      wasmHeapSpreadAfterFirstMB: spread((r) => r.wasmHeapMB),
    })}\n`,
  );
}

if (isMain(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(
      `${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}
