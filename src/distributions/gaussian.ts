/**
 * Diagonal-Gaussian helpers shared by the variational objectives. All per-sample results are
 * summed over latent dimensions and have shape [b].
 */
import * as tf from '@tensorflow/tfjs';

const LOG_2PI = Math.log(2 * Math.PI);

export interface Gaussian {
  readonly mu: tf.Tensor2D;
  readonly logvar: tf.Tensor2D;
}

/** Splits projection output [b, 2L] into μ and log σ² (clipped so exp stays finite). */
export function splitGaussian(params: tf.Tensor2D): Gaussian {
  const latent = params.shape[1] / 2;
  const [mu, logvar] = tf.split(params, [latent, latent], 1) as [tf.Tensor2D, tf.Tensor2D];
  return { mu, logvar: tf.clipByValue(logvar, -12, 12) };
}

/** z = μ + σ ε with ε ~ N(0, I), seeded so a step is reproducible on resume. */
export function sample(g: Gaussian, seed: number): tf.Tensor2D {
  const eps = tf.randomNormal(g.mu.shape, 0, 1, 'float32', seed);
  return tf.add(g.mu, tf.mul(tf.exp(tf.mul(g.logvar, 0.5)), eps));
}

/** KL(q || N(0, I)) per sample. */
export function klToStandardNormal(g: Gaussian): tf.Tensor1D {
  const terms = tf.sub(tf.add(tf.square(g.mu), tf.exp(g.logvar)), tf.add(g.logvar, 1));
  return tf.mul(tf.sum(terms, 1), 0.5);
}

/** KL(p || q) between two diagonal Gaussians, per sample. */
export function klBetween(p: Gaussian, q: Gaussian): tf.Tensor1D {
  const varRatio = tf.exp(tf.sub(p.logvar, q.logvar));
  const meanTerm = tf.div(tf.square(tf.sub(p.mu, q.mu)), tf.exp(q.logvar));
  const terms = tf.sub(tf.add(varRatio, meanTerm), tf.add(tf.sub(p.logvar, q.logvar), 1));
  return tf.mul(tf.sum(terms, 1), 0.5);
}

/** log N(z; μ, σ²) per sample. */
export function logDensity(z: tf.Tensor2D, g: Gaussian): tf.Tensor1D {
  const sq = tf.div(tf.square(tf.sub(z, g.mu)), tf.exp(g.logvar));
  const terms = tf.add(tf.add(sq, g.logvar), LOG_2PI);
  return tf.mul(tf.sum(terms, 1), -0.5);
}

/** log N(z; 0, I) per sample. */
export function logStandardDensity(z: tf.Tensor2D): tf.Tensor1D {
  const terms = tf.add(tf.square(z), LOG_2PI);
  return tf.mul(tf.sum(terms, 1), -0.5);
}

/**
 * Product of Gaussian experts with a standard-normal prior expert (MVAE). `present[m]` is a
 * [b] 0/1 mask: an absent expert contributes no precision, so it is left out, not zero-filled.
 */
export function productOfExperts(
  experts: readonly Gaussian[],
  present: readonly tf.Tensor1D[],
  withPrior = true,
): Gaussian {
  // The prior expert N(0, I) has precision 1 and mean 0. Without it, a tiny precision keeps a
  // sample with no expert finite (callers select such rows away).
  let precision: tf.Tensor2D = withPrior
    ? tf.onesLike(experts[0]!.mu)
    : (tf.fill(experts[0]!.mu.shape, 1e-6) as tf.Tensor2D);
  let weightedMean: tf.Tensor2D = tf.zerosLike(experts[0]!.mu);
  experts.forEach((expert, m) => {
    const mask = tf.expandDims(present[m]!, 1);
    const expertPrecision = tf.mul(tf.exp(tf.neg(expert.logvar)), mask);
    precision = tf.add(precision, expertPrecision);
    weightedMean = tf.add(weightedMean, tf.mul(expertPrecision, expert.mu));
  });
  return { mu: tf.div(weightedMean, precision), logvar: tf.neg(tf.log(precision)) };
}

/**
 * log of the mean of exp over `axis`, numerically stable (max-shifted): the one logMeanExp of
 * mmae. Tidy, so a caller outside tf.tidy (an evaluation loop) leaks nothing.
 */
export function logMeanExp(x: tf.Tensor, axis = 0): tf.Tensor {
  return tf.tidy(() => {
    const max = tf.max(x, axis, true);
    const shifted = tf.log(tf.mean(tf.exp(tf.sub(x, max)), axis, true));
    return tf.squeeze(tf.add(shifted, max), [axis]);
  });
}
