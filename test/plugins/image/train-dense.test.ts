import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imagePlugin } from '../../../plugins/image/index.js';
import { createImageInstance } from '../../../plugins/image/instance.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { buildAutoencoder } from './autoencoder.js';
import { readMnistImages } from './mnist-images.js';
import { useWasmBackend } from '../../support/backend.js';

const SAMPLES = 2000;
const BATCH = 100;
const EPOCHS = 3;

describe('the dense seed preset on MNIST (wasm)', () => {
  beforeAll(useWasmBackend);

  it('trains as a single-modality autoencoder until reconstruction loss falls below 0.6× its start', async () => {
    const options = imagePlugin.optionsSchema.parse({});
    const instance = createImageInstance(options);
    const rows = await Promise.all(
      readMnistImages(SAMPLES).map((raw, i) => instance.prepare(raw, `mnist/train/${i}`)),
    );
    const pixels = new Float32Array(SAMPLES * 784);
    rows.forEach((row, i) => pixels.set(row, i * 784));
    const all = tf.tensor4d(pixels, [SAMPLES, 28, 28, 1]);
    const autoencoder = buildAutoencoder(instance, 16, 7);
    const initial = autoencoder.evaluate(all);
    const order = new SeededRandom(11);
    let tensorsAfterFirstStep = -1;
    for (let epoch = 0; epoch < EPOCHS; epoch++) {
      const permutation = order.permutation(SAMPLES);
      for (let start = 0; start < SAMPLES; start += BATCH) {
        const indices = tf.tensor1d(permutation.subarray(start, start + BATCH), 'int32');
        const batch = tf.gather(all, indices);
        autoencoder.step(batch as tf.Tensor4D);
        tf.dispose([indices, batch]);
        if (tensorsAfterFirstStep < 0) tensorsAfterFirstStep = tf.memory().numTensors;
      }
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirstStep);
    const final = autoencoder.evaluate(all);
    expect(final).toBeLessThan(0.6 * initial);
    autoencoder.dispose();
    all.dispose();
  });
});
