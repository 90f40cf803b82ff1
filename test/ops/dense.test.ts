import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { DENSE_GRAD_KERNEL } from '../../src/backend/wasm-kernels/dense-grad.js';
import { dense, type DenseActivation } from '../../src/ops/dense.js';
import { largestGap, onWasmAndCpu } from '../backend/cpu-reference.js';

const hasKernel = () => tf.getKernel(DENSE_GRAD_KERNEL, 'wasm') !== undefined;

const activations: DenseActivation[] = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu'];

/** Output and the gradients of Σ (y ⊙ r) for x, W, b, all as flat arrays. */
function outputAndGradients(activation: DenseActivation, inputGradient = true): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([9, 37], 0, 2, 'float32', 1) as tf.Tensor2D;
    const w = tf.randomNormal([37, 21], 0, 0.5, 'float32', 2) as tf.Tensor2D;
    const b = tf.randomNormal([21], 0, 1, 'float32', 3) as tf.Tensor1D;
    const r = tf.randomNormal([9, 21], 0, 1, 'float32', 4);
    const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      tf.sum(
        tf.mul(
          dense(xs as tf.Tensor2D, ws as tf.Tensor2D, bs as tf.Tensor1D, {
            activation,
            inputGradient,
          }),
          r,
        ),
      );
    const grads = tf.grads(f)([x, w, b]);
    const y = dense(x, w, b, { activation });
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('the dense op', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it.each(activations)('with %s gives the output and gradients it gives on cpu', async (act) => {
    const [wasm, cpu] = await onWasmAndCpu(() => outputAndGradients(act));
    wasm.forEach((values, i) => expect(largestGap(values, cpu[i]!)).toBeLessThan(2e-5));
  });

  it.skipIf(!hasKernel())('skips the input gradient when asked, and reads it as zeros', () => {
    const [, dx, dw] = outputAndGradients('relu', false);
    const [, , dwFull] = outputAndGradients('relu', true);
    expect(dx!.every((v) => v === 0)).toBe(true);
    expect(Array.from(dw!)).toEqual(Array.from(dwFull!));
  });

  it.skipIf(!hasKernel())('runs its whole backward pass as one kernel on wasm', async () => {
    const x = tf.randomNormal([8, 16], 0, 1, 'float32', 5) as tf.Tensor2D;
    const w = tf.variable(tf.randomNormal([16, 4], 0, 1, 'float32', 6)) as tf.Variable<tf.Rank.R2>;
    const b = tf.variable(tf.zeros([4])) as tf.Variable<tf.Rank.R1>;
    const profile = await tf.profile(() => {
      const { value, grads } = tf.variableGrads(() =>
        tf.sum(dense(x, w, b, { activation: 'relu' })),
      );
      tf.dispose([value, grads]);
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === DENSE_GRAD_KERNEL)).toHaveLength(1);
    expect(names.filter((n) => n === 'BatchMatMul' || n === '_FusedMatMul')).toHaveLength(1);
    tf.dispose([x, w, b]);
  });
});
