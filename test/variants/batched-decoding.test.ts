/**
 * Decoding several codes of one batch in a single stacked pass gives what one pass per code
 * gives, including the teacher-forced caption decoder and rows that lack a modality.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/container/create-registry.js';
import type { ModalityBatch, RawSplit } from '../../src/data/contract.js';
import { openDataset } from '../../src/open/open-dataset.js';
import { buildJointModel } from '../../src/model/build-joint-model.js';
import type { JointModel } from '../../src/model/joint-model.js';
import { reconstructEach } from '../../src/variants/shared/batched-decoding.js';
import { fitModalities } from '../../src/model/modality-instances.js';
import { CAPTION_LENGTH, LATENT, smallJointConfig } from './joint-fixture.js';
import { useBackend } from '../support/backend.js';

function head(split: RawSplit, n: number): RawSplit {
  return { size: Math.min(n, split.size), sample: (i) => split.sample(i) };
}

/** A batch of random images and captions; `present` per modality sets the rows that carry it. */
function imageAndText(imagePresent: number[], textPresent: number[], seed: number) {
  const rows = imagePresent.length;
  return {
    image: {
      features: tf.randomUniform([rows, 28, 28, 1], 0, 1, 'float32', seed),
      present: tf.tensor1d(imagePresent),
    },
    text: {
      features: tf.randomUniform([rows, CAPTION_LENGTH], 4, 12, 'int32', seed + 1),
      present: tf.tensor1d(textPresent),
    },
  };
}

describe('reconstructing a batch from several codes at once', () => {
  let model: JointModel;
  beforeAll(async () => {
    const config = smallJointConfig('mopoe');
    await useBackend(config.backend);
    const registry = await createRegistry({ plugins: [], baseDir: process.cwd() });
    const dataset = await openDataset(config, registry, process.cwd());
    const setups = await fitModalities(config, registry, head(dataset.train, 100));
    model = buildJointModel({ config, setups, registry });
  });
  afterAll(() => model.dispose());

  it('matches one reconstruction per code, term by term, and leaves no tensor behind', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const targets = imageAndText([1, 1, 0, 1, 1], [1, 0, 1, 1, 1], 1);
      const codes = [0, 1, 2].map((s) =>
        tf.randomNormal<tf.Rank.R2>([5, LATENT], 0, 1, 'float32', s),
      );
      const stacked = reconstructEach(model, codes, targets);
      expect(stacked).toHaveLength(3);
      codes.forEach((z, s) => {
        const alone = model.reconstruct(z, targets);
        const got = stacked[s]!;
        expect(got.perSample.shape).toEqual([5]);
        const total = tf.max(tf.abs(tf.sub(got.perSample, alone.perSample))).dataSync()[0]!;
        expect(total).toBeLessThan(1e-3);
        expect(Object.keys(got.perModality).sort()).toEqual(['image', 'text']);
        for (const name of ['image', 'text']) {
          const a = got.perModality[name]!.dataSync()[0]!;
          const b = alone.perModality[name]!.dataSync()[0]!;
          expect(Math.abs(a - b)).toBeLessThan(1e-4 * Math.max(1, Math.abs(b)));
        }
      });
      // Different codes really give different losses: the split is not one code repeated.
      const first = stacked[0]!.perSample.dataSync();
      const second = stacked[1]!.perSample.dataSync();
      expect(Math.abs(first[0]! - second[0]!)).toBeGreaterThan(1e-3);
    });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('lets each code reconstruct only the modalities chosen for it', () => {
    const before = tf.memory().numTensors;
    tf.tidy(() => {
      const targets = imageAndText([1, 1, 1, 0], [1, 1, 0, 1], 3);
      const codes = [0, 1, 2].map((s) =>
        tf.randomNormal<tf.Rank.R2>([4, LATENT], 0, 1, 'float32', 10 + s),
      );
      // As the poe objective's 'own': code 0 everything, code 1 the image, code 2 the text.
      const names = ['image', 'text'];
      const own = reconstructEach(
        model,
        codes,
        targets,
        (s, name) => s === 0 || names[s - 1] === name,
      );
      expect(Object.keys(own[0]!.perModality).sort()).toEqual(['image', 'text']);
      expect(Object.keys(own[1]!.perModality)).toEqual(['image']);
      expect(Object.keys(own[2]!.perModality)).toEqual(['text']);
      codes.forEach((z, s) => {
        const only: Record<string, ModalityBatch> =
          s === 0 ? targets : s === 1 ? { image: targets.image } : { text: targets.text };
        const alone = model.reconstruct(z, only);
        const gap = tf.max(tf.abs(tf.sub(own[s]!.perSample, alone.perSample))).dataSync()[0]!;
        expect(gap).toBeLessThan(1e-3);
      });
    });
    expect(tf.memory().numTensors).toBe(before);
  });
});
