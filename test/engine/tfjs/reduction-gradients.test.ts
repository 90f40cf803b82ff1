import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';

describe('the gradients of Sum and Mean', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  const x = () => tf.randomNormal([2, 3, 4], 0, 1, 'float32', 3);
  const weights = () => tf.randomNormal([2, 3, 4], 0, 1, 'float32', 4);

  it.each([undefined, 0, 1, 2, [0, 2], [0, 1, 2]])(
    'over axis %s broadcast dy back to x (sum) and divide by the reduced count (mean)',
    async (axis) => {
      const before = tf.memory().numTensors;
      const w = weights();
      const xs = x();
      for (const keepDims of [false, true]) {
        // d/dx Σ reduce(x) ⊙ r with r = Σ_axis w: dy differs per output element.
        const [sumGrad, meanGrad, expected] = tf.tidy(() => {
          const r = tf.sum(w, axis, keepDims);
          const dySum = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.sum(t, axis, keepDims), r)))(xs);
          const dyMean = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.mean(t, axis, keepDims), r)))(
            xs,
          );
          const full = tf.broadcastTo(tf.sum(w, axis, true), [2, 3, 4]);
          return [dySum, dyMean, full].map((t) => t.arraySync());
        });
        const count =
          axis === undefined ? 24 : [axis].flat().reduce((n, a) => n * [2, 3, 4][a]!, 1);
        expect(sumGrad).toEqual(expected);
        const flatMean = (meanGrad as number[][][]).flat(2);
        (expected as number[][][]).flat(2).forEach((v, i) => {
          expect(Math.abs(flatMean[i]! - v / count)).toBeLessThan(1e-6);
        });
      }
      tf.dispose([w, xs]);
      expect(tf.memory().numTensors).toBe(before);
    },
  );

  it('gives a float32 gradient for an int32 sum, as tfjs does', () => {
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.cast(t, 'int32')))(tf.ones([3]));
    expect(g.dtype).toBe('float32');
    g.dispose();
  });

  it('builds no ones tensor in JavaScript: a mean backward is ZerosLike + Add on the backend', async () => {
    const t = tf.randomNormal([64, 784]);
    const profile = await tf.profile(() =>
      tf
        .grad((v: tf.Tensor) => tf.mean(v))(t)
        .dispose(),
    );
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('ZerosLike');
    expect(names).not.toContain('Multiply');
    t.dispose();
  });
});
