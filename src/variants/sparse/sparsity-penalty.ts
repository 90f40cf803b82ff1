import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

export const sparsityOption = {
  /**
   * The penalty on the code z [b, L]:
   * - l1: λ · mean over samples of ‖z‖₁;
   * - kl: λ · Σ_j KL(ρ ‖ ρ̂_j), with ρ̂_j the batch-mean activation of unit j (needs z in (0,1),
   *   so it implies a sigmoid code activation).
   */
  sparsity: z
    .discriminatedUnion('penalty', [
      z
        .object({ penalty: z.literal('l1'), lambda: z.number().nonnegative().default(1e-3) })
        .strict(),
      z
        .object({
          penalty: z.literal('kl'),
          /** Target mean activation ρ of each code unit. */
          rho: z.number().gt(0).lt(1).default(0.05),
          /** Weight of the KL sparsity term. */
          lambda: z.number().nonnegative().default(1),
        })
        .strict(),
    ])
    .default({ penalty: 'l1', lambda: 1e-3 }),
};

export type Sparsity = z.infer<typeof sparsityOption.sparsity>;

export function sparsityPenalty(sparsity: Sparsity): (z: tf.Tensor2D) => tf.Scalar {
  if (sparsity.penalty === 'l1') {
    return (z) => tf.mul(tf.mean(tf.sum(tf.abs(z), 1)), sparsity.lambda) as tf.Scalar;
  }
  const rho = sparsity.rho;
  return (z) => {
    const rhoHat = tf.clipByValue(tf.mean(z, 0), 1e-6, 1 - 1e-6);
    const kl = tf.add(
      tf.mul(rho, tf.log(tf.div(rho, rhoHat))),
      tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))),
    );
    return tf.mul(tf.sum(kl), sparsity.lambda) as tf.Scalar;
  };
}
