import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelsBuilt, useWasmBackend } from '../support/backend.js';
import { TOKEN_NLL_KERNEL } from '../../src/ops/kernels.js';
import { tokenNll } from '../../src/ops/token-nll.js';
import { onWasmAndCpu } from '../support/cpu-reference.js';
import { trainingKernels } from '../support/kernels-of.js';

const PAD = 0;

/** Loss and logit gradient for 3 samples × 4 positions × 7 tokens, pads and an unknown id in. */
function lossAndGradient(): Float32Array[] {
  return tf.tidy(() => {
    const ids = tf.tensor2d(
      [
        [3, 5, 1, PAD],
        [6, PAD, PAD, PAD],
        [2, 9, 4, 1], // 9 is outside the vocabulary: the position counts for nothing
      ],
      [3, 4],
      'int32',
    );
    const logits = tf.randomNormal([3, 4, 7], 0, 3, 'float32', 5);
    const r = tf.tensor1d([1, -0.5, 2]);
    const grad = tf.grad((x: tf.Tensor) => tf.sum(tf.mul(tokenNll(ids, x as tf.Tensor3D, PAD), r)))(
      logits,
    );
    return [tokenNll(ids, logits as tf.Tensor3D, PAD), grad].map(
      (t) => t.dataSync() as Float32Array,
    );
  });
}

describe('tokenNll', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('gives the loss and logit gradient of the tfjs composition on cpu, pads excluded', async () => {
    const [wasm, cpu] = await onWasmAndCpu(lossAndGradient);
    wasm.forEach((values, i) =>
      values.forEach((v, j) => expect(Math.abs(v - cpu[i]![j]!)).toBeLessThan(1e-4)),
    );
    // Sample 1 has one token; its pad positions get no gradient.
    expect(Array.from(wasm[1]!.slice(1 * 28 + 7, 2 * 28)).every((g) => g === 0)).toBe(true);
  });

  it.skipIf(!nativeKernelsBuilt)(
    'runs as one kernel forward and one backward on wasm',
    async () => {
      const ids = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
      const logits = tf.variable(tf.randomNormal([1, 3, 5], 0, 1, 'float32', 6));
      const names = await trainingKernels(
        () => tf.sum(tokenNll(ids, logits as unknown as tf.Tensor3D, PAD)),
        [logits],
      );
      expect(names).toContain(TOKEN_NLL_KERNEL);
      expect(names).not.toContain('Exp');
      expect(names).not.toContain('OneHot');
      tf.dispose([ids, logits]);
    },
  );
});
