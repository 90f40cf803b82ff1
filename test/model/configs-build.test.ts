/**
 * Every shipped config must validate and build its joint model. The modalities are fitted on a
 * slice of the training split only (the vocabulary and audio statistics need data, the weights
 * don't), so this checks shapes and plugin options without training.
 */
import { existsSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../src/config/load-config.js';
import { createRegistry } from '../../src/container/create-registry.js';
import type { RawSplit } from '../../src/data/contract.js';
import { openDataset } from '../../src/open/open-dataset.js';
import { buildJointModel } from '../../src/model/build-joint-model.js';
import { fitModalities } from '../../src/model/modality-instances.js';

const CONFIG_DIR = resolve('configs');
const FSDD_DIR = resolve(process.env.MMAE_FSDD_DIR ?? '../shared/datasets/fsdd');
/** The emoji dataset's packages are optional dependencies. */
const EMOJI_PACKAGES = ['emoji-datasource-google', 'emoji-datasource-twitter', 'emojibase-data'];
const emojiMissing = EMOJI_PACKAGES.filter((p) => !existsSync(resolve('node_modules', p)));
const files = (await readdir(CONFIG_DIR)).filter((f) => f.endsWith('.yaml')).sort();

/** The first `n` samples of a split. */
function head(split: RawSplit, n: number): RawSplit {
  return { size: Math.min(n, split.size), sample: (i) => split.sample(i) };
}

/** Keeps loading fast: MNIST-based datasets read a few hundred images, not 60,000. */
function smallDatasetOptions(
  id: string,
  options: Record<string, unknown>,
): Record<string, unknown> {
  return id === 'mnist' || id === 'mnist-captions'
    ? { ...options, trainLimit: 300, validationSize: 50, testLimit: 50 }
    : options;
}

describe('the shipped configs', () => {
  it('include the joint image+text and trimodal configs', () => {
    for (const name of ['concat', 'poe', 'moe', 'mopoe', 'jmvae']) {
      expect(files).toContain(`mnist-image-text-${name}.yaml`);
    }
    expect(files).toContain('mnist-fsdd-trimodal.yaml');
  });

  it.each(files)('%s validates and builds its model, which encodes and decodes', async (file) => {
    const config = await loadConfigFile(join(CONFIG_DIR, file));
    expect(config.name).toBe(file.replace(/\.yaml$/, ''));
    if (config.dataset.id.includes('fsdd') && !existsSync(FSDD_DIR)) {
      console.log(`skipping ${file}: no FSDD recordings at ${FSDD_DIR} (set MMAE_FSDD_DIR)`);
      return;
    }
    if (config.dataset.id === 'emoji' && emojiMissing.length > 0) {
      console.log(`skipping ${file}: npm install --save-optional ${emojiMissing.join(' ')}`);
      return;
    }
    const small = {
      ...config,
      dataset: {
        ...config.dataset,
        options: smallDatasetOptions(config.dataset.id, config.dataset.options),
      },
    };
    const registry = await createRegistry({ plugins: config.plugins, baseDir: CONFIG_DIR });
    const dataset = await openDataset(small, registry, CONFIG_DIR);
    const setups = await fitModalities(small, registry, head(dataset.train, 200));
    const model = buildJointModel({ config: small, setups, registry });
    try {
      expect(model.names).toEqual(config.modalities.map((m) => m.name ?? m.id));
      expect(model.latentSize).toBe(config.model.latentSize);
      const before = tf.memory().numTensors;
      tf.tidy(() => {
        const inputs = Object.fromEntries(
          setups.map((s) => {
            const spec = s.instance.featureSpec;
            return [
              s.name,
              {
                features: tf.zeros([3, ...spec.shape], spec.dtype),
                present: tf.ones([3]) as tf.Tensor1D,
              },
            ];
          }),
        );
        const { z } = model.encode(inputs);
        expect(z.shape).toEqual([3, config.model.latentSize]);
        for (const name of model.names) expect(model.decode(name, z).shape[0]).toBe(3);
      });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  });
});
