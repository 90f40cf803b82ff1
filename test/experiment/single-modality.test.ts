/**
 * Each built-in modality trains as a single-modality autoencoder through the core on real data:
 * MNIST-style captions for text, the FSDD recordings for audio (MNIST images are covered by
 * train-job.test.ts).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evalJob, parseConfig, trainJob } from '../../src/index.js';

const FSDD = resolve(process.env.MMAE_FSDD_DIR ?? '../shared/datasets/fsdd');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-single-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quiet = { quiet: true, log: () => {} };

describe('single-modality autoencoders through the core', () => {
  it('text: captions are reconstructed better after training', async () => {
    const config = parseConfig({
      name: 'captions-only',
      seed: 11,
      backend: 'wasm',
      dataset: {
        id: 'mnist-captions',
        options: { trainLimit: 800, validationSize: 200, testLimit: 200 },
      },
      modalities: [{ id: 'text', options: { maxLength: 8 } }],
      model: { variant: 'standard', latentSize: 8 },
      training: { epochs: 8, batchSize: 50, optimizer: { learningRate: 0.01 } },
    });
    const out = join(dir, 'text');
    const { result, model } = await trainJob({ config: { config, baseDir: dir }, out, ...quiet });
    model.dispose();
    expect(result.history.at(-1)!.validation!.total).toBeLessThan(
      0.5 * result.history[0]!.validation!.total!,
    );
    const report = await evalJob(out, { probeRows: 400 });
    // Token error rate of reconstructed captions.
    expect(report.reconstruction.text!.all).toBeLessThan(0.2);
  });

  it('audio: FSDD log-mel spectrograms are reconstructed better after training', async (context) => {
    if (!existsSync(FSDD)) {
      console.log(`skipping: no FSDD recordings at ${FSDD} (set MMAE_FSDD_DIR)`);
      context.skip();
    }
    const config = parseConfig({
      name: 'fsdd-only',
      seed: 11,
      backend: 'wasm',
      dataset: { id: 'fsdd', options: { dir: FSDD } },
      modalities: [{ id: 'audio', options: { hiddenSizes: [128], embeddingSize: 32 } }],
      model: { variant: 'standard', latentSize: 16 },
      training: { epochs: 3, batchSize: 50, validationLimit: 200 },
    });
    const { result, model } = await trainJob({
      config: { config, baseDir: dir },
      out: join(dir, 'audio'),
      ...quiet,
    });
    model.dispose();
    expect(result.history.at(-1)!.validation!.total).toBeLessThan(
      0.8 * result.history[0]!.validation!.total!,
    );
  });
});
