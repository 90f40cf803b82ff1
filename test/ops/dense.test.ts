import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelsBuilt, useWasmBackend } from '../support/backend.js';
import { DENSE_GRAD_KERNEL, DENSE_KERNEL } from '../../src/ops/kernels.js';
import { dense, type DenseActivation } from '../../src/ops/dense.js';
import { largestGap, onWasmAndCpu } from '../support/cpu-reference.js';
import { kernelsOf, trainingKernels } from '../support/kernels-of.js';

const activations: DenseActivation[] = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu'];

/** Output and the gradients of Σ (y ⊙ r) for x, W, b, all as flat arrays. */
function outputAndGradients(activation: DenseActivation): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([9, 37], 0, 2, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([37, 21], 0, 0.5, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([21], 0, 1, 'float32', 3) as tf.Tensor1D;
    const r = tf.randomNormal([9, 21], 0, 1, 'float32', 4);
    const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      tf.sum(
        tf.mul(dense(xs as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D, { activation }), r),
      );
    const grads = tf.grads(f)([x, w, b]);
    const y = dense(x, w, b, { activation });
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('the dense op', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it.each(activations)('with %s gives the output and gradients it gives on cpu', async (act) => {
    const [wasm, cpu] = await onWasmAndCpu(() => outputAndGradients(act));
    wasm.forEach((values, i) => expect(largestGap(values, cpu[i]!)).toBeLessThan(2e-5));
  });

  it.skipIf(!nativeKernelsBuilt)(
    "computes the input's gradient only when something asks for it",
    async () => {
      const x = tf.randomNormal([8, 16], 0, 1, 'float32', 5) as tf.Tensor2D;
      const w = tf.variable(
        tf.randomNormal([16, 4], 0, 1, 'float32', 6),
      ) as tf.Variable<tf.Rank.R2>;
      const b = tf.variable(tf.zeros([4])) as tf.Variable<tf.Rank.R1>;
      const loss = (xs: tf.Tensor) =>
        tf.sum(dense(xs as tf.Tensor2D, w, b, { activation: 'relu' }));
      // Training: x is data, so only the weights' part runs.
      const before = tf.memory().numTensors;
      const training = await trainingKernels(() => loss(x) as tf.Scalar);
      expect(tf.memory().numTensors).toBe(before);
      expect(training.filter((n) => n === DENSE_KERNEL)).toHaveLength(1);
      expect(training.filter((n) => n === DENSE_GRAD_KERNEL)).toHaveLength(1);
      expect(training).not.toContain('BatchMatMul');
      // The gradient for x alone (a saliency map): the input's part runs, and the weights'
      // gradients computed alongside are freed.
      const saliency = await kernelsOf(() => tf.grad(loss)(x));
      expect(tf.memory().numTensors).toBe(before);
      expect(saliency.filter((n) => n === DENSE_GRAD_KERNEL)).toHaveLength(2);
      tf.dispose([x, w, b]);
    },
  );
});
