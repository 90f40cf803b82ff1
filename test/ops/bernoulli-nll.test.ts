import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelsBuilt, useWasmBackend } from '../support/backend.js';
import { BERNOULLI_NLL_KERNEL } from '../../src/ops/kernels.js';
import { bernoulliNll } from '../../src/ops/bernoulli-nll.js';
import { onWasmAndCpu } from '../support/cpu-reference.js';
import { trainingKernels } from '../support/kernels-of.js';

/** Loss and gradients for [3, 4, 10] (40 per sample: two 16-lane blocks and a tail), extremes included. */
function lossAndGradients(): Float32Array[] {
  return tf.tidy(() => {
    const z = tf.randomUniform([3, 4, 10], 0, 1, 'float32', 1);
    const x = tf.concat(
      [
        tf.randomNormal([3, 4, 9], 0, 4, 'float32', 2),
        tf.tensor3d([100, -100, 0, 30, -30, 0, 90, -90, 1e-3, 5, -5, 60], [3, 4, 1]),
      ],
      2,
    );
    const r = tf.tensor1d([0.5, -1, 2]);
    const f = (zs: tf.Tensor, xs: tf.Tensor) => tf.sum(tf.mul(bernoulliNll(zs, xs), r));
    const [dz, dx] = tf.grads(f)([z, x]);
    return [bernoulliNll(z, x), dz!, dx!].map((t) => t.dataSync() as Float32Array);
  });
}

describe('bernoulliNll', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('gives the loss and both gradients of the tfjs composition on cpu', async () => {
    const [wasm, cpu] = await onWasmAndCpu(lossAndGradients);
    wasm.forEach((values, i) => {
      values.forEach((v, j) => {
        const reference = cpu[i]![j]!;
        expect(Math.abs(v - reference)).toBeLessThan(1e-4 * Math.max(1, Math.abs(reference)));
      });
    });
    expect(wasm[0]!.every(Number.isFinite)).toBe(true);
  });

  it('is Σ log 2 for zero logits, whatever the target', async () => {
    const loss = bernoulliNll(tf.randomUniform([2, 7], 0, 1, 'float32', 3), tf.zeros([2, 7]));
    const values = await loss.data();
    values.forEach((v) => expect(v).toBeCloseTo(7 * Math.LN2, 5));
    loss.dispose();
  });

  it.skipIf(!nativeKernelsBuilt)(
    'runs as one kernel forward and one backward on wasm',
    async () => {
      const z = tf.randomUniform([4, 784], 0, 1, 'float32', 4);
      const x = tf.variable(tf.randomNormal([4, 784], 0, 1, 'float32', 5));
      const names = await trainingKernels(() => tf.sum(bernoulliNll(z, x)), [x]);
      expect(names).toContain(BERNOULLI_NLL_KERNEL);
      expect(names).not.toContain('Exp');
      expect(names).not.toContain('Log1p');
      tf.dispose([z, x]);
    },
  );
});
