/**
 * W1: the standard autoencoder on MNIST, ours. Run as a script it trains and prints one JSON line
 * (bench/run.ts spawns it); `--variant` picks the lever set, `--backend` the tfjs backend.
 *
 *   tsx bench/workloads/w1-standard-ae.ts --epochs 1 [--variant baseline|fused|nosync|prefetch|levers|
 *     plaingrad|all|flatadam|allflat|kernelpatch|leverspatch|fusedadam] [--limit N]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { readMnistImages } from './mnist-idx.js';
import { trainWithPlainTfjs } from './w1-plain-tfjs-trainer.js';
import type { W1Levers, W1Trainer } from './w1-types.js';

/** The swap point: replace with the mmae trainer once it exists. */
export const trainW1: W1Trainer = trainWithPlainTfjs;

export const W1_VARIANTS: Record<string, W1Levers> = {
  /** The naive loop: unfused layers, loss read back every step, batches gathered on demand. */
  baseline: {
    fused: false,
    syncEachStep: true,
    prefetch: false,
    plainGrad: false,
    flatAdam: false,
  },
  fused: { fused: true, syncEachStep: true, prefetch: false, plainGrad: false, flatAdam: false },
  nosync: { fused: false, syncEachStep: false, prefetch: false, plainGrad: false, flatAdam: false },
  prefetch: { fused: false, syncEachStep: true, prefetch: true, plainGrad: false, flatAdam: false },
  /** The three cheap levers of the brief on. */
  levers: { fused: true, syncEachStep: false, prefetch: true, plainGrad: false, flatAdam: false },
  /** Only the transposed-matMul workaround. */
  plaingrad: {
    fused: false,
    syncEachStep: true,
    prefetch: false,
    plainGrad: true,
    flatAdam: false,
  },
  /** The cheap levers and the transposed-matMul workaround: the default of bench/run.ts so far. */
  all: { fused: true, syncEachStep: false, prefetch: true, plainGrad: true, flatAdam: false },
  /** Only the single Adam update over all parameters. */
  flatadam: { fused: false, syncEachStep: true, prefetch: false, plainGrad: false, flatAdam: true },
  /** The baseline loop on patched wasm matMul kernels: fixes every caller, not only our dense. */
  kernelpatch: {
    fused: false,
    syncEachStep: true,
    prefetch: false,
    plainGrad: false,
    flatAdam: false,
    kernelPatch: true,
  },
  /** The cheap levers on patched kernels. */
  leverspatch: {
    fused: true,
    syncEachStep: false,
    prefetch: true,
    plainGrad: false,
    flatAdam: false,
    kernelPatch: true,
  },
  /** leverspatch with mmae's fused Adam kernel (src/train/fused-adam-optimizer.ts). */
  fusedadam: {
    fused: true,
    syncEachStep: false,
    prefetch: true,
    plainGrad: false,
    flatAdam: false,
    kernelPatch: true,
    fusedAdam: true,
  },
  /** Everything. */
  allflat: { fused: true, syncEachStep: false, prefetch: true, plainGrad: true, flatAdam: true },
};

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const backend = args.get('backend') ?? 'wasm';
  const variant = args.get('variant') ?? 'leverspatch';
  const levers = W1_VARIANTS[variant];
  if (!levers)
    throw new Error(`--variant: '${variant}' is not one of ${Object.keys(W1_VARIANTS).join(', ')}`);
  await tf.setBackend(backend);
  await tf.ready();
  const limit = intArg(args, 'limit', 0);
  const data = { train: readMnistImages('train', limit), test: readMnistImages('t10k') };
  const outcome = await trainW1(data, {
    epochs: intArg(args, 'epochs', 1),
    seed: intArg(args, 'seed', 42),
    batchSize: intArg(args, 'batch', 64),
    levers,
  });
  const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;
  console.log(
    JSON.stringify({
      workload: 'W1',
      side: 'ours',
      metrics: {
        secondsPerEpoch: mean(outcome.epochSeconds),
        cpuSecondsPerEpoch: mean(outcome.epochCpuSeconds),
        testMse: outcome.testMse,
      },
      info: {
        backend: tf.getBackend(),
        variant,
        ...outcome,
        trainImages: data.train.count,
        numTensorsAfter: tf.memory().numTensors,
      },
    }),
  );
}

if (isMain(import.meta.url)) await main();
