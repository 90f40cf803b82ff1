/**
 * W5 (ours): one epoch of the convolutional VAE of issue #16 on MNIST's 55,000 training images
 * (the mnist dataset's default 5,000-image validation split carved off, seeded) through mmae's
 * own `trainJob`. bench/reference/w5_conv_vae.py is the same model in PyTorch, on the same rows
 * in the same order (bench/workloads/w5-order.ts). Prints one JSON line like the reference.
 *
 *   tsx bench/workloads/w5-conv-vae.ts [--epochs 1] [--limit N] [--seed 42] [--backend wasm]
 */
import { intArg, isMain, parseArgs } from './cli-args.js';
import { trainAndTest } from './conv-vae-run.js';

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
  await trainAndTest('W5', w5Config(epochs, limit, seed, backend), process.cwd());
}

if (isMain(import.meta.url)) await main();
