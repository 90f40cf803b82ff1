/**
 * A small conv autoencoder shaped like W5 (two stride-2 'same' convs with relu, dense, two ×2
 * nearest upsamplings each followed by a 3×3 conv, a conv to one channel) trains on wasm with
 * the native conv kernels as on cpu: the same seeded weights and data, 15 Adam steps, and every
 * step's loss within 1e-5 (relative) of cpu's (measured: under 1e-6; float32 sums in another
 * order, compounding over the steps). The tensor count stays flat from step to step.
 */
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { nativeKernelsBuilt, useBackend, useWasmBackend } from '../../support/backend.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';

const STEPS = 15;

function autoencoder(): tf.Sequential {
  const conv = (filters: number, strides: number, activation: 'relu' | 'linear') =>
    tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', activation });
  const model = tf.sequential();
  model.add(tf.layers.inputLayer({ inputShape: [12, 12, 1] }));
  model.add(conv(8, 2, 'relu'));
  model.add(conv(16, 2, 'relu'));
  model.add(tf.layers.flatten());
  model.add(tf.layers.dense({ units: 3 * 3 * 16, activation: 'relu' }));
  model.add(tf.layers.reshape({ targetShape: [3, 3, 16] }));
  model.add(tf.layers.upSampling2d({ size: [2, 2] }));
  model.add(conv(16, 1, 'relu'));
  model.add(tf.layers.upSampling2d({ size: [2, 2] }));
  model.add(conv(8, 1, 'relu'));
  model.add(conv(1, 1, 'linear'));
  return model;
}

function seeded(shape: number[], random: SeededRandom, scale: number): tf.Tensor {
  const size = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(
    Float32Array.from({ length: size }, () => random.normal() * scale),
    shape,
  );
}

/** Losses of STEPS Adam steps and the tensor count after each, on the current backend. */
function train(): { losses: number[]; counts: number[] } {
  const random = new SeededRandom(5);
  const model = autoencoder();
  model.setWeights(
    model.weights.map((w) => {
      const shape = w.shape as number[];
      const fanIn = shape.slice(0, -1).reduce((a, b) => a * b, 1);
      return seeded(shape, random, Math.sqrt(2 / fanIn));
    }),
  );
  const images = tf.tidy(() => tf.sigmoid(seeded([6, 12, 12, 1], random, 2)));
  const optimizer = tf.train.adam(1e-2);
  const losses: number[] = [];
  const counts: number[] = [];
  for (let step = 0; step < STEPS; ++step) {
    const loss = optimizer.minimize(
      () => tf.losses.sigmoidCrossEntropy(images, model.apply(images) as tf.Tensor) as tf.Scalar,
      true,
    )!;
    losses.push(loss.dataSync()[0]!);
    loss.dispose();
    counts.push(tf.memory().numTensors);
  }
  optimizer.dispose();
  images.dispose();
  model.dispose();
  return { losses, counts };
}

describe.skipIf(!nativeKernelsBuilt)('a conv autoencoder on the native conv kernels', () => {
  it('trains to cpu’s loss at every step, with a flat tensor count', async () => {
    await useWasmBackend();
    const wasm = train();
    await useBackend('cpu');
    const cpu = train();
    await useWasmBackend();
    expect(wasm.losses[STEPS - 1]!).toBeLessThan(wasm.losses[0]!);
    wasm.losses.forEach((loss, i) => {
      expect(Math.abs(loss - cpu.losses[i]!)).toBeLessThanOrEqual(1e-5 * cpu.losses[i]!);
    });
    expect(new Set(wasm.counts.slice(1)).size).toBe(1);
  });
});
