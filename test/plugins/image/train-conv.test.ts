import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createImageInstance } from '../../../plugins/image/instance.js';
import { imagePlugin } from '../../../plugins/image/index.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { buildAutoencoder } from './autoencoder.js';
import { readMnistImages } from './mnist-images.js';
import { useWasmBackend } from '../../support/backend.js';

const SAMPLES = 256;
const BATCH = 32;
const STEPS = 20;

describe('the conv image autoencoder', () => {
  beforeAll(useWasmBackend);

  it('trains on wasm, whose conv2d filter gradient comes from src/backend', () => {
    expect(tf.getBackend()).toBe('wasm');
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeDefined();
  });

  it('trains a few Adam steps on MNIST with falling loss and a flat tensor count', async () => {
    const options = imagePlugin.optionsSchema.parse({
      encoder: 'conv',
      filters: [8, 16],
      hiddenSizes: [32],
    });
    const instance = createImageInstance(options);
    const rows = await Promise.all(
      readMnistImages(SAMPLES).map((raw, i) => instance.prepare(raw, `mnist/train/${i}`)),
    );
    const pixels = new Float32Array(SAMPLES * 784);
    rows.forEach((row, i) => pixels.set(row, i * 784));
    const all = tf.tensor4d(pixels, [SAMPLES, 28, 28, 1]);
    const autoencoder = buildAutoencoder(instance, 16, 3, 3e-3);
    const initial = autoencoder.evaluate(all);
    const order = new SeededRandom(5);
    const counts: number[] = [];
    for (let step = 0; step < STEPS; step++) {
      const indices = tf.tensor1d(order.permutation(SAMPLES).subarray(0, BATCH), 'int32');
      const batch = tf.gather(all, indices) as tf.Tensor4D;
      autoencoder.step(batch);
      tf.dispose([indices, batch]);
      counts.push(tf.memory().numTensors);
    }
    const final = autoencoder.evaluate(all);
    expect(new Set(counts.slice(1)).size).toBe(1);
    expect(final).toBeLessThan(0.6 * initial);
    autoencoder.dispose();
    all.dispose();
  });
});
