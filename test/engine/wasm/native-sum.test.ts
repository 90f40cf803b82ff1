import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import { nativeKernels } from '../../../src/engine/index.js';
import { largestGap, onWasmAndCpu } from '../../support/cpu-reference.js';

/** Sums the native kernel takes (leading or middle axes) and ones it leaves to the backend. */
function sums(): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([6, 5, 40], 0, 1, 'float32', 1);
    const y = tf.randomNormal([2, 3, 4, 16], 0, 1, 'float32', 2);
    return [
      tf.sum(x, 0),
      tf.sum(x, 1),
      tf.sum(x, [0, 1]),
      tf.sum(x, 1, true),
      tf.sum(x, -2),
      tf.sum(y, [1, 2]),
      tf.sum(y, [2, 1], true),
      tf.sum(x, 2), // the last axis: the backend's own kernel
      tf.sum(x, [0, 2]), // not consecutive: the backend's own kernel
      tf.sum(x),
      tf.sum(tf.cast(x, 'int32'), 0).cast('float32'),
    ].map((t) => t.dataSync() as Float32Array);
  });
}

describe('Sum over leading or middle axes on wasm', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('gives the sums the cpu backend gives, for every axis pattern and keepDims', async () => {
    const [wasm, cpu] = await onWasmAndCpu(sums);
    wasm.forEach((values, i) => expect(largestGap(values, cpu[i]!)).toBeLessThan(1e-4));
  });

  it('keeps the shapes tfjs gives', () => {
    const x = tf.zeros([6, 5, 40]);
    expect(tf.sum(x, 1).shape).toEqual([6, 40]);
    expect(tf.sum(x, [0, 1], true).shape).toEqual([1, 1, 40]);
    x.dispose();
  });

  it.skipIf(nativeKernels() === undefined)(
    'runs without a transpose when it reduces the batch axis of a sequence batch',
    async () => {
      const x = tf.randomNormal([384, 8, 128], 0, 1, 'float32', 3);
      const profile = await tf.profile(() => tf.sum(x, 0));
      expect(profile.kernels.map((k) => k.name)).toEqual(['Sum']);
      tf.dispose([x, profile.result as tf.Tensor]);
    },
  );
});
