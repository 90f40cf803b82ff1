/**
 * The joint model built (not trained) from a small image+caption config: encoding when the input
 * omits a modality altogether, as `encode({ text })` for text-to-image translation.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry } from '../../src/container/create-registry.js';
import type { RawSplit } from '../../src/data/contract.js';
import { openDataset } from '../../src/open/open-dataset.js';
import { buildJointModel } from '../../src/model/build-joint-model.js';
import type { JointModel } from '../../src/model/joint-model.js';
import { fitModalities } from '../../src/model/modality-instances.js';
import { CAPTION_LENGTH, LATENT, smallJointConfig } from '../variants/joint-fixture.js';
import { useBackend } from '../support/backend.js';

function head(split: RawSplit, n: number): RawSplit {
  return { size: Math.min(n, split.size), sample: (i) => split.sample(i) };
}

async function buildUntrained(variant: string, fusion?: string): Promise<JointModel> {
  const config = smallJointConfig(variant, { fusion });
  await useBackend(config.backend);
  const registry = await createRegistry({ plugins: [], baseDir: process.cwd() });
  const dataset = await openDataset(config, registry, process.cwd());
  const setups = await fitModalities(config, registry, head(dataset.train, 100));
  return buildJointModel({ config, setups, registry });
}

const families: [string, string | undefined][] = [
  ['standard', 'concat'],
  ['variational', 'concat'],
  ['poe', undefined],
  ['moe', undefined],
  ['mopoe', undefined],
  ['jmvae', 'concat'],
];

describe('a joint model encoding an input that omits a modality', () => {
  const models = new Map<string, JointModel>();
  beforeAll(async () => {
    for (const [variant, fusion] of families)
      models.set(variant, await buildUntrained(variant, fusion));
  });
  afterAll(() => {
    for (const model of models.values()) model.dispose();
  });

  it('codes a caption-only row as if the image were present with mask 0', () => {
    for (const [variant] of families) {
      const model = models.get(variant)!;
      tf.tidy(() => {
        const text = {
          features: tf.randomUniform([4, CAPTION_LENGTH], 4, 12, 'int32', 3),
          present: tf.ones([4]) as tf.Tensor1D,
        };
        const masked = model.encode({
          text,
          image: { features: tf.zeros([4, 28, 28, 1]), present: tf.zeros([4]) as tf.Tensor1D },
        }).z;
        expect(masked.shape).toEqual([4, LATENT]);
        const omitted = model.encode({ text }).z;
        const diff = tf.max(tf.abs(tf.sub(masked, omitted))).dataSync()[0]!;
        expect(diff, variant).toBeLessThan(1e-5);
      });
    }
  });
});
