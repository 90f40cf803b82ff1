/**
 * A dense layer (x·W + b, optional ReLU) whose gradient uses only untransposed matMuls.
 *
 * Why: on the tfjs 4.22 wasm backend a BatchMatMul with transposeA or transposeB is ~11× slower
 * than the same product on explicitly transposed inputs (measured in BENCHMARKS.md: 5.5 ms vs
 * 0.45 ms for 64×784×128), and tfjs's own matMul gradient uses exactly those flags for dX = dy·Wᵀ
 * and dW = xᵀ·dy. An explicit tf.transpose costs far less than the difference.
 */
import * as tf from '@tensorflow/tfjs';

export type DenseActivation = 'linear' | 'relu';

type DenseFn = (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;

function makeDense(activation: DenseActivation): DenseFn {
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [x, w, b, save] = args as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
    const y = tf.fused.matMul({ a: x, b: w, bias: b, activation });
    save([x, w, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as [tf.Tensor2D, tf.Tensor2D, tf.Tensor2D];
        const dz = (
          activation === 'relu' ? tf.mul(dy as tf.Tensor2D, tf.step(sy)) : dy
        ) as tf.Tensor2D;
        return [tf.matMul(dz, tf.transpose(sw)), tf.matMul(tf.transpose(sx), dz), tf.sum(dz, 0)];
      },
    };
  });
  return op as unknown as DenseFn;
}

export const densePlainGrad: Record<DenseActivation, DenseFn> = {
  linear: makeDense('linear'),
  relu: makeDense('relu'),
};
