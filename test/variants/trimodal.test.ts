/**
 * The tri-modal set (MNIST image + FSDD spoken digit + caption, test speakers held out) trains
 * with MoPoE through the core, and its model encodes from any subset per sample: audio alone,
 * image + text, all three.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iterateBatches } from '../../src/data/batches.js';
import { prepareFeatures } from '../../src/data/prepare-features.js';
import { openDataset } from '../../src/open/open-dataset.js';
import { openRun } from '../../src/open/open-run.js';
import { parseConfig, trainJob } from '../../src/index.js';

const FSDD = resolve(process.env.MMAE_FSDD_DIR ?? '../shared/datasets/fsdd');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-trimodal-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the tri-modal MNIST + FSDD + captions model', () => {
  it('trains with falling loss and encodes from any subset per sample', async (context) => {
    if (!existsSync(FSDD)) {
      console.log(`skipping: no FSDD recordings at ${FSDD} (set MMAE_FSDD_DIR)`);
      context.skip();
    }
    const config = parseConfig({
      name: 'trimodal-test',
      seed: 9,
      backend: 'wasm',
      dataset: { id: 'mnist-fsdd', options: { dir: FSDD, captions: true } },
      modalities: [
        { id: 'image', options: { hiddenSizes: [64, 32] } },
        { id: 'audio', options: { melBands: 20, hiddenSizes: [64], embeddingSize: 32 } },
        { id: 'text', options: { maxLength: 8, embeddingSize: 32, hiddenSize: 64 } },
      ],
      model: { variant: 'mopoe', latentSize: 8 },
      training: { epochs: 2, batchSize: 64, validationLimit: 200 },
    });
    const out = join(dir, 'run');
    const { result, model } = await trainJob({
      config: { config, baseDir: dir },
      out,
      quiet: true,
      log: () => {},
    });
    model.dispose();
    expect(result.history[1]!.train.total).toBeLessThan(result.history[0]!.train.total!);

    const opened = await openRun(out);
    const dataset = await openDataset(opened.config, opened.registry, dir);
    const instances = Object.fromEntries(opened.setups.map((s) => [s.name, s.instance]));
    const head = { size: 6, sample: (i: number) => dataset.test.sample(i) };
    const { table } = await prepareFeatures(head, instances, { onBadSample: 'fail' });
    const batch = iterateBatches(table, { batchSize: 6, shuffle: false }).next().value!;
    // Rows 0-1 carry only audio, rows 2-3 image + text, rows 4-5 all three.
    const masks: Record<string, number[]> = {
      audio: [1, 1, 0, 0, 1, 1],
      image: [0, 0, 1, 1, 1, 1],
      text: [0, 0, 1, 1, 1, 1],
    };
    const codes = tf.tidy(() => {
      const inputs = Object.fromEntries(
        Object.entries(masks).map(([name, mask]) => [
          name,
          { features: batch.inputs[name]!.features, present: tf.tensor1d(mask) },
        ]),
      );
      const z = opened.model.encode(inputs).z;
      const audioOnly = opened.model.encode({
        audio: { features: batch.inputs.audio!.features, present: tf.ones([6]) as tf.Tensor1D },
      }).z;
      return [z, audioOnly];
    });
    const [z, audioOnly] = codes.map((t) => t!.arraySync() as number[][]);
    batch.dispose();
    tf.dispose(codes);
    opened.model.dispose();
    expect(z).toHaveLength(6);
    expect(z!.flat().every(Number.isFinite)).toBe(true);
    // An audio-only row codes exactly as encoding the audio alone does.
    for (let j = 0; j < 8; j++) expect(z![0]![j]).toBeCloseTo(audioOnly![0]![j]!, 4);
    // A row with all three differs from its audio-only code: the other modalities count.
    expect(z![4]).not.toEqual(audioOnly![4]);
  });
});
