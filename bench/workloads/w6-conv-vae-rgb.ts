/**
 * W6 (ours): one epoch of an RGB conv VAE at 64×64 on W6's seeded procedural shapes
 * (bench/workloads/w6-shapes.ts) through mmae's own `trainJob`, reading the PNGs through the
 * `manifest` dataset as a user's images would be read. bench/reference/w6_conv_vae_rgb.py is
 * the same model in PyTorch on the same images in the same order. Prints one JSON line.
 *
 *   tsx bench/workloads/w6-conv-vae-rgb.ts [--epochs 1] [--limit N] [--test 1000] [--seed 42]
 */
import { join } from 'node:path';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { trainAndTest } from './conv-vae-run.js';
import { ensureShapes, W6_SIZE } from './w6-shapes.js';

/** Training images when --limit is absent. */
export const W6_TRAIN = 5000;

export function w6Config(epochs: number, seed: number, backend: string, manifest: string): unknown {
  return {
    name: 'bench-w6-conv-vae-rgb',
    seed,
    backend,
    // The manifest's split column: train and test, no validation.
    dataset: {
      id: 'manifest',
      options: { path: manifest, split: 'column', classes: ['disc', 'square', 'triangle'] },
    },
    modalities: [
      {
        id: 'image',
        options: {
          width: W6_SIZE,
          height: W6_SIZE,
          channels: 3,
          encoder: 'conv',
          filters: [32, 64, 128],
          kernelSize: 3,
          hiddenSizes: [256],
          likelihood: 'bernoulli',
        },
      },
    ],
    model: { variant: 'variational', latentSize: 32, beta: 1, klAnnealEpochs: 0 },
    training: {
      epochs,
      batchSize: 64,
      optimizer: { name: 'adam', learningRate: 0.001 },
      clipNorm: 0,
    },
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const epochs = intArg(args, 'epochs', 1);
  const limit = intArg(args, 'limit', 0);
  const test = intArg(args, 'test', 1000);
  const seed = intArg(args, 'seed', 42);
  const backend = args.get('backend') ?? 'wasm';
  const train = limit > 0 ? limit : W6_TRAIN;
  const dir = await ensureShapes(seed, train, test);
  // Absolute: the test split is read again from the run, whose folder is elsewhere.
  const manifest = join(dir, 'manifest.csv');
  await trainAndTest('W6', w6Config(epochs, seed, backend, manifest), dir, { dataDir: dir });
}

if (isMain(import.meta.url)) await main();
