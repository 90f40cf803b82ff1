/**
 * MMVAE (Shi et al. 2019): the joint posterior is the uniform mixture of the present unimodal
 * experts. The stratified importance-weighted objective draws K samples from each expert and
 * averages, over the experts a sample carries, logmeanexp_k of
 *   log p(x | z) + β (log p(z) − log q_mix(z | x)).
 * With K = 1 it is the stratified ELBO. The loss record's reconstruction and kl (the estimate
 * log q_mix(z) − log p(z)) are averaged over the same draws, and its codes are the mixture's mean,
 * the code encode gives.
 */
import * as tf from '@tensorflow/tfjs';
import {
  logDensity,
  logMeanExp,
  logStandardDensity,
  sample,
  type Gaussian,
} from '../../distributions/gaussian.js';
import { reconstructEach } from '../shared/batched-decoding.js';
import { meanOverCodes } from '../shared/elbo-terms.js';
import { deriveSeed } from '../../random/seeded-random.js';
import type { Objective } from '../contract.js';
import { unimodalExperts } from '../shared/experts.js';
import { klWeight, type ElboOptions } from '../shared/elbo-options.js';

/** log q_mix(z) = log Σ_m present_m q_m(z) − log Σ_m present_m, per sample. */
function logMixtureDensity(
  z: tf.Tensor2D,
  experts: readonly Gaussian[],
  present: readonly tf.Tensor1D[],
): tf.Tensor1D {
  const logs = experts.map((q, m) =>
    tf.where(tf.greater(present[m]!, 0), logDensity(z, q), tf.fill([z.shape[0]], -1e9)),
  );
  const stacked = tf.stack(logs, 0); // [M, b]
  const count = tf.addN(present as tf.Tensor1D[]);
  return tf.sub(
    tf.add(logMeanExp(stacked, 0), Math.log(experts.length)),
    tf.log(count),
  ) as tf.Tensor1D;
}

/** Arithmetic mean of the present experts' means: the mixture's mean. */
function mixtureMean(experts: readonly Gaussian[], present: readonly tf.Tensor1D[]): tf.Tensor2D {
  let sum: tf.Tensor2D = tf.zerosLike(experts[0]!.mu);
  experts.forEach((q, m) => {
    sum = tf.add(sum, tf.mul(q.mu, tf.expandDims(present[m]!, 1)));
  });
  return tf.div(sum, tf.expandDims(tf.addN(present as tf.Tensor1D[]), 1));
}

export interface MoeOptions extends ElboOptions {
  /** Importance samples K drawn from each expert. */
  readonly importanceSamples: number;
}

export function moeObjective(options: MoeOptions): Objective {
  const samples = options.importanceSamples;
  return {
    probabilistic: true,
    // Each embedding is its expert's [μ, log σ²]; the mixture is the fusion, so none is built.
    shapes: (latentSize) => ({ projectionSize: 2 * latentSize }),
    loss(model, batch, context) {
      const beta = klWeight(options, context);
      const { experts, present } = unimodalExperts(model, batch.inputs);
      let objective: tf.Tensor1D = tf.zeros([batch.size]);
      let reconstruction: tf.Tensor1D = tf.zeros([batch.size]);
      let kl: tf.Tensor1D = tf.zeros([batch.size]);
      // Every expert's K samples, decoded in one pass (expert-major: index m·K + k).
      const codes = experts.flatMap((q, m) =>
        Array.from({ length: samples }, (_, k) => sample(q, deriveSeed(context.seed, 'moe', m, k))),
      );
      const decoded = reconstructEach(model, codes, batch.inputs);
      experts.forEach((_, m) => {
        const logWeights: tf.Tensor1D[] = [];
        for (let k = 0; k < samples; k++) {
          const z = codes[m * samples + k]!;
          const { perSample } = decoded[m * samples + k]!;
          // The single-sample estimate of KL(q_mix ‖ p) at z: log q_mix(z) − log p(z).
          const klAt = tf.sub(logMixtureDensity(z, experts, present), logStandardDensity(z));
          reconstruction = tf.add(reconstruction, tf.mul(perSample, present[m]!));
          kl = tf.add(kl, tf.mul(klAt, present[m]!));
          logWeights.push(tf.neg(tf.add(perSample, tf.mul(klAt, beta))) as tf.Tensor1D);
        }
        const bound = logMeanExp(tf.stack(logWeights, 0), 0) as tf.Tensor1D;
        objective = tf.add(objective, tf.mul(bound, present[m]!));
      });
      const count = tf.addN(present as tf.Tensor1D[]);
      // The reported terms average over the experts a sample carries and their K samples each;
      // with K = 1 they add up to the total, with K > 1 the bound is tighter than their sum.
      const perCode = tf.mul(count, samples) as tf.Tensor1D;
      const total = tf.neg(tf.mean(tf.div(objective, count))) as tf.Scalar;
      let mean: tf.Tensor2D | undefined;
      return {
        total,
        reconstruction: tf.mean(tf.div(reconstruction, perCode)) as tf.Scalar,
        reconstructionByModality: meanOverCodes(
          decoded.map((d) => d.losses),
          codes.map((_, i) => present[Math.floor(i / samples)]!),
          perCode,
        ),
        regularisers: { kl: { value: tf.mean(tf.div(kl, perCode)) as tf.Scalar, weight: beta } },
        // Computed only when read: training steps never read it.
        get codes() {
          return (mean ??= mixtureMean(experts, present));
        },
      };
    },
    encode(model, inputs) {
      const { experts, present } = unimodalExperts(model, inputs);
      return { z: mixtureMean(experts, present) };
    },
  };
}
