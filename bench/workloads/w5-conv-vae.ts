/**
 * W5 (ours): one epoch of the convolutional VAE of issue #16 on MNIST's 55,000 training images
 * (the mnist dataset's default 5,000-image validation split carved off, seeded) through mmae's
 * own `trainJob`. bench/reference/w5_conv_vae.py is the same model in PyTorch, on the same rows
 * in the same order (bench/workloads/w5-order.ts). Prints one JSON line like the reference.
 *
 *   tsx bench/workloads/w5-conv-vae.ts [--epochs 1] [--limit N] [--seed 42] [--backend wasm]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { prepareFeatures } from '../../src/data/prepare-features.js';
import { openDataset } from '../../src/open/open-dataset.js';
import { openRun } from '../../src/open/open-run.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { evaluateLoss } from '../../src/train/trainer.js';
import { intArg, isMain, parseArgs } from './cli-args.js';

/** MNIST's train file less the seeded validation carve-out: 55,000 images. */
export const W5_VALIDATION = 5000;

/** The conv VAE; configs/bench-w5-conv-vae.yaml is the same run as a file. */
export function w5Config(epochs: number, limit: number, seed: number, backend: string): unknown {
  return {
    name: 'bench-w5-conv-vae',
    seed,
    backend,
    dataset: {
      id: 'mnist',
      options: { validationSize: W5_VALIDATION, ...(limit > 0 ? { trainLimit: limit } : {}) },
    },
    modalities: [
      {
        id: 'image',
        options: {
          encoder: 'conv',
          filters: [32, 64],
          kernelSize: 3,
          hiddenSizes: [256],
          likelihood: 'bernoulli',
        },
      },
    ],
    // β = 1, no KL annealing, no clipping: the reference does none of them.
    model: { variant: 'variational', latentSize: 16, beta: 1, klAnnealEpochs: 0 },
    training: {
      epochs,
      batchSize: 128,
      optimizer: { name: 'adam', learningRate: 0.001 },
      clipNorm: 0,
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const epochs = intArg(args, 'epochs', 1);
  const limit = intArg(args, 'limit', 0);
  const seed = intArg(args, 'seed', 42);
  const backend = args.get('backend') ?? 'wasm';
  const config = parseConfig(w5Config(epochs, limit, seed, backend), 'bench W5 config');
  const out = await mkdtemp(join(tmpdir(), 'mmae-bench-w5-'));
  try {
    const trained = await trainJob({
      config: { config, baseDir: process.cwd() },
      out: join(out, 'run'),
      quiet: true,
      log: () => {},
    });
    const history = trained.result.history;
    const opened = await openRun(trained.runDir, { backend: config.backend });
    const dataset = await openDataset(opened.config, opened.registry, opened.runDir);
    const instances = Object.fromEntries(opened.setups.map((s) => [s.name, s.instance]));
    const test = (await prepareFeatures(dataset.test, instances, { onBadSample: 'skip' })).table;
    // One reparameterised z per test image (the trainer's evaluation), −ELBO = reconstruction + KL.
    const loss = evaluateLoss(
      opened.model,
      test,
      { batchSize: 1000, validationLimit: 0 },
      config.seed,
    );
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const line = {
      workload: 'W5',
      side: 'ours',
      metrics: {
        secondsPerEpoch: mean(history.map((h) => h.seconds)),
        cpuSecondsPerEpoch: mean(history.map((h) => h.cpuSeconds)),
        testNegElbo: (loss.reconstruction ?? NaN) + (loss.kl ?? NaN),
      },
      info: {
        epochSeconds: history.map((h) => h.seconds),
        lastEpochTrainLoss: history.at(-1)?.train.total,
        lastEpochValidationLoss: history.at(-1)?.validation?.total,
        trainImages: dataset.train.size,
        testImages: test.size,
        parameters: trained.model.trainableVariables().reduce((sum, v) => sum + v.size, 0),
        backend: trained.backend.name,
      },
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
