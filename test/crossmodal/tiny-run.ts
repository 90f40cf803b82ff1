import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import type { RunConfig } from '../../src/config/schema.js';
import { trainJob } from '../../src/experiment/train-job.js';

/** A tiny MVAE (product of experts) on MNIST images and their captions, for cross-modal tests. */
export function tinyImageTextConfig(): RunConfig {
  return parseConfig(
    {
      name: 'test-image-text',
      seed: 3,
      backend: 'wasm',
      dataset: {
        id: 'mnist-captions',
        options: { trainLimit: 600, validationSize: 100, testLimit: 200 },
      },
      modalities: [
        { id: 'image', options: { hiddenSizes: [64, 32], likelihood: 'bernoulli' } },
        { id: 'text', options: { maxLength: 8, embeddingSize: 32, hiddenSize: 32 } },
      ],
      model: { variant: 'poe', latentSize: 8 },
      training: { epochs: 2, batchSize: 32, optimizer: { name: 'adam', learningRate: 0.003 } },
    },
    'tiny image+text config',
  );
}

/** Trains the tiny run into `dir`/run and returns its directory. */
export async function trainTinyRun(dir: string): Promise<string> {
  const out = join(dir, 'run');
  const trained = await trainJob({
    config: { config: tinyImageTextConfig(), baseDir: dir },
    out,
    quiet: true,
    log: () => {},
  });
  trained.model.dispose();
  return out;
}
