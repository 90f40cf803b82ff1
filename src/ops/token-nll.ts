/**
 * Softmax cross-entropy of token logits [b, L, V] against int32 ids [b, L], summed over the
 * positions whose id is not `pad`: [b]. One kernel each way where mmae has them (the native
 * kernels on wasm), tfjs's oneHot/logSoftmax composition elsewhere; same values to rounding.
 */
import * as tf from '@tensorflow/tfjs';
import { TOKEN_NLL_GRAD_KERNEL, TOKEN_NLL_KERNEL } from './kernels.js';

function composed(ids: tf.Tensor2D, logits: tf.Tensor3D, pad: number): tf.Tensor1D {
  return tf.tidy(() => {
    const target = tf.oneHot(ids, logits.shape[2]);
    const perPosition = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1));
    const isToken = tf.cast(tf.notEqual(ids, pad), 'float32');
    return tf.sum(tf.mul(perPosition, isToken), -1) as tf.Tensor1D;
  });
}

export function tokenNll(ids: tf.Tensor2D, logits: tf.Tensor3D, pad: number): tf.Tensor1D {
  if (
    tf.getKernel(TOKEN_NLL_KERNEL, tf.getBackend()) === undefined ||
    logits.dtype !== 'float32' ||
    ids.dtype !== 'int32'
  ) {
    return composed(ids, logits, pad);
  }
  const attrs = { pad };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const [xs, save] = args as [tf.Tensor, tf.GradSaveFunc];
    // The ids are no input of the op (no gradient); saving keeps them for the backward pass.
    save([xs, ids]);
    return {
      value: tf.engine().runKernel(TOKEN_NLL_KERNEL, { logits: xs, ids }, attrs) as tf.Tensor,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sids] = saved as [tf.Tensor, tf.Tensor];
        return tf
          .engine()
          .runKernel(
            TOKEN_NLL_GRAD_KERNEL,
            { logits: sx, ids: sids, dy: dy as tf.Tensor },
            attrs,
          ) as tf.Tensor;
      },
    };
  });
  return op(logits) as tf.Tensor1D;
}
