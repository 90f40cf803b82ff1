/**
 * W1: the standard autoencoder on MNIST, ours. Run as a script it trains and prints one JSON line
 * (bench/run.ts spawns it); `--variant` picks the lever set, `--backend` the tfjs backend.
 *
 *   tsx bench/workloads/w1-standard-ae.ts --epochs 1 [--variant baseline|fused|nosync|prefetch|levers|
 *     plaingrad|all|flatadam|allflat|kernelpatch|leverspatch|fusedadam|native|nativedense|nativeparallel|
 *     dataparallel] [--limit N]
 *     [--workers N]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { probePackage } from '../../src/backend/probe-package.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { readMnistImages } from './mnist-idx.js';
import { trainDataParallel } from './w1-data-parallel.js';
import { trainWithPlainTfjs } from './w1-plain-tfjs-trainer.js';
import type { W1Trainer } from './w1-types.js';
import { W1_VARIANTS } from './w1-variants.js';

export { W1_VARIANTS };

/** The swap point: replace with the mmae trainer once it exists. */
export const trainW1: W1Trainer = trainWithPlainTfjs;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const backend = args.get('backend') ?? 'wasm';
  const variant = args.get('variant') ?? 'nativedense';
  const chosen = W1_VARIANTS[variant];
  if (!chosen)
    throw new Error(`--variant: '${variant}' is not one of ${Object.keys(W1_VARIANTS).join(', ')}`);
  // --workers N runs any variant data-parallel in N worker threads (1: the threading cost alone).
  const workers = intArg(args, 'workers', chosen.workers ?? 0);
  const levers = { ...chosen, workers };
  // 'tensorflow' registers on importing tfjs-node (scripts/stage-tfjs-node.sh stages it here).
  if (backend === 'tensorflow') {
    const probe = await probePackage('@tensorflow/tfjs-node');
    if (probe.status !== 'loaded')
      throw new Error(`--backend tensorflow: ${JSON.stringify(probe)}`);
  }
  if (!(await tf.setBackend(backend))) throw new Error(`--backend ${backend} failed to start`);
  await tf.ready();
  const limit = intArg(args, 'limit', 0);
  const data = { train: readMnistImages('train', limit), test: readMnistImages('t10k') };
  // The data-parallel variant runs the same loop in worker threads.
  const trainer = levers.workers ? trainDataParallel : trainW1;
  const outcome = await trainer(data, {
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
