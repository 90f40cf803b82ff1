import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';

describe('Identity on wasm', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('shares the buffer of its input, and each owner can be freed alone', async () => {
    const x = tf.tensor2d([1, 2, 3, 4], [2, 2]);
    const copy = x.clone();
    const bytesWithBoth = tf.memory().numBytes;
    x.dispose();
    expect(await copy.data()).toEqual(new Float32Array([1, 2, 3, 4]));
    expect(tf.memory().numBytes).toBe(bytesWithBoth - 16); // tfjs counts per tensor
    const again = copy.clone();
    copy.dispose();
    expect(await again.data()).toEqual(new Float32Array([1, 2, 3, 4]));
    again.dispose();
  });

  it('hands out the same buffer instead of a copy', () => {
    const x = tf.zeros([256, 256]);
    const clone = x.clone();
    expect(clone.dataId).toBe(x.dataId);
    const backend = tf.backend() as unknown as { refCount(dataId: tf.DataId): number };
    expect(backend.refCount(x.dataId)).toBe(2);
    tf.dispose([x, clone]);
  });

  it('still copies strings', async () => {
    const s = tf.tensor1d(['a', 'b'], 'string');
    const c = s.clone();
    s.dispose();
    expect(await c.array()).toEqual(['a', 'b']);
    c.dispose();
  });

  it('saves tensors for the backward pass by sharing them: no Identity kernel, no leak', async () => {
    const w = tf.variable(tf.randomNormal([8, 4], 0, 1, 'float32', 7));
    const x = tf.randomNormal([3, 8], 0, 1, 'float32', 8);
    const before = tf.memory().numTensors;
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() => tf.sum(tf.relu(tf.matMul(x, w))), [w]);
      tf.dispose([value, grads]);
    });
    expect(profile.kernels.map((k) => k.name)).not.toContain('Identity');
    expect(tf.memory().numTensors).toBe(before);
    // The gradient is still right: d/dw Σ relu(x·w) = xᵀ·step(x·w).
    const grad = tf.tidy(
      () => tf.variableGrads(() => tf.sum(tf.relu(tf.matMul(x, w))), [w]).grads[w.name]!,
    );
    const expected = tf.tidy(() => tf.matMul(x, tf.step(tf.matMul(x, w)), true, false));
    expect(tf.max(tf.abs(tf.sub(grad, expected))).dataSync()[0]).toBeLessThan(1e-5);
    tf.dispose([w, x, grad, expected]);
  });
});
