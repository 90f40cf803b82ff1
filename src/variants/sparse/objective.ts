/**
 * The sparse autoencoder's objective: the standard one plus λ times a penalty on the code z
 * [b, L], logged as `sparsity` before λ:
 * - l1: the mean over samples of ‖z‖₁;
 * - kl: Σ_j KL(ρ ‖ ρ̂_j), with ρ̂_j the batch-mean activation of unit j. It needs z in (0, 1), so it
 *   forces a sigmoid code activation.
 */
import * as tf from '@tensorflow/tfjs';
import type { Objective } from '../contract.js';
import { codeActivation, type CodeActivation } from '../shared/code-activation.js';
import { deterministicObjective } from '../standard/objective.js';

export type Sparsity =
  | { readonly penalty: 'l1'; readonly lambda: number }
  | { readonly penalty: 'kl'; readonly rho: number; readonly lambda: number };

export interface SparseOptions {
  readonly codeActivation: CodeActivation;
  readonly modalityDropout: number;
  readonly sparsity: Sparsity;
}

/** The penalty before its weight λ. */
export function sparsityPenalty(sparsity: Sparsity): (z: tf.Tensor2D) => tf.Scalar {
  if (sparsity.penalty === 'l1') {
    return (z) => tf.mean(tf.sum(tf.abs(z), 1)) as tf.Scalar;
  }
  const rho = sparsity.rho;
  return (z) => {
    const rhoHat = tf.clipByValue(tf.mean(z, 0), 1e-6, 1 - 1e-6);
    const kl = tf.add(
      tf.mul(rho, tf.log(tf.div(rho, rhoHat))),
      tf.mul(1 - rho, tf.log(tf.div(1 - rho, tf.sub(1, rhoHat)))),
    );
    return tf.sum(kl) as tf.Scalar;
  };
}

export function sparseObjective(options: SparseOptions): Objective {
  const { sparsity } = options;
  return deterministicObjective({
    // The KL penalty compares mean activations with ρ in (0, 1): only a sigmoid code has them.
    activate: codeActivation(sparsity.penalty === 'kl' ? 'sigmoid' : options.codeActivation),
    modalityDropout: options.modalityDropout,
    penalty: { name: 'sparsity', weight: sparsity.lambda, of: sparsityPenalty(sparsity) },
  });
}
