import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';

/**
 * The sparse autoencoder's penalty on the code z [b, L]:
 * - l1: λ · mean over samples of ‖z‖₁;
 * - kl: λ · Σ_j KL(ρ ‖ ρ̂_j), with ρ̂_j the batch-mean activation of unit j (z must be in (0,1)).
 */
export function sparsityPenalty(config: ModelConfig): ((z: tf.Tensor2D) => tf.Scalar) | undefined {
  const sparsity = config.sparsity;
  if (!sparsity) return undefined;
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

/** The code activation: KL sparsity needs activations in (0,1), so it implies sigmoid. */
export function codeActivation(config: ModelConfig): (x: tf.Tensor2D) => tf.Tensor2D {
  const name = config.sparsity?.penalty === 'kl' ? 'sigmoid' : config.codeActivation;
  switch (name) {
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'relu':
      return (x) => tf.relu(x);
    case 'tanh':
      return (x) => tf.tanh(x);
    default:
      return (x) => x;
  }
}
