/**
 * The negative log-likelihood of targets z ∈ [0, 1] under Bernoulli(σ(x)) for logits x, summed
 * over everything but the first axis: [b, …] → [b]. One kernel each way where mmae has them (the
 * native kernels on wasm), the overflow-free composition max(x, 0) − x·z + log1p(exp(−|x|))
 * elsewhere. Same values either way, to float32 rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { BERNOULLI_NLL_GRAD_KERNEL, BERNOULLI_NLL_KERNEL } from './kernels.js';

function composed(z: tf.Tensor2D, x: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const perPixel = tf
      .relu(x)
      .sub(x.mul(z))
      .add(tf.log1p(tf.exp(tf.neg(tf.abs(x)))));
    return perPixel.sum(1) as tf.Tensor1D;
  });
}

/** target and logits: the same shape [b, …]; the sum per sample, [b]. */
export function bernoulliNll(target: tf.Tensor, logits: tf.Tensor): tf.Tensor1D {
  const rows = logits.shape[0] ?? 1;
  const z = tf.reshape(target, [rows, -1]) as tf.Tensor2D;
  const x = tf.reshape(logits, [rows, -1]) as tf.Tensor2D;
  const backend = tf.getBackend();
  if (
    tf.getKernel(BERNOULLI_NLL_KERNEL, backend) === undefined ||
    x.dtype !== 'float32' ||
    z.dtype !== 'float32'
  ) {
    return composed(z, x);
  }
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [zs, xs, save] = args as [tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([xs, zs]);
    return {
      value: tf.engine().runKernel(BERNOULLI_NLL_KERNEL, { x: xs, z: zs }) as tf.Tensor,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sz] = saved as [tf.Tensor, tf.Tensor];
        const [dx, dz] = tf
          .engine()
          .runKernel(BERNOULLI_NLL_GRAD_KERNEL, { x: sx, z: sz, dy: dy as tf.Tensor }) as [
          tf.Tensor,
          tf.Tensor,
        ];
        return [dz, dx];
      },
    };
  });
  return op(z, x) as tf.Tensor1D;
}
