/**
 * MoPoE (Sutter et al. 2021): the joint posterior is the uniform mixture, over all non-empty
 * subsets of modalities, of the product of the subset's experts. The objective averages, over the
 * subsets a sample can form from what it carries, the subset's ELBO (reconstruct every carried
 * modality from z ~ q_subset, plus β KL(q_subset ‖ p)), which upper-bounds the mixture's KL.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../random/seeded-random.js';
import type { Objective } from '../contract.js';
import { sampleExpertProducts } from '../../ops/poe-sample.js';
import { elboTermsOfSamples, meanOverCodes } from '../shared/elbo-terms.js';
import { embedAll } from '../shared/embed-all.js';
import { carriedExpertsProduct, encodeByCarriedExperts } from '../shared/experts.js';
import { klWeight, type ElboOptions } from '../shared/elbo-options.js';
import { nonEmptySubsets } from '../shared/subsets.js';

/** Whether each sample carries any modality of the subset, [b] 0/1. */
function carries(present: readonly tf.Tensor1D[], subset: readonly number[]): tf.Tensor1D {
  const carried = subset.map((m) => present[m]!);
  return tf.cast(
    tf.greater(carried.length === 1 ? carried[0]! : tf.addN(carried), 0),
    'float32',
  ) as tf.Tensor1D;
}

export function mopoeObjective(options: ElboOptions): Objective {
  return {
    probabilistic: true,
    // Each embedding is its expert's [μ, log σ²]; the subsets' products are the fusion.
    shapes: (latentSize) => ({ projectionSize: 2 * latentSize }),
    loss(model, batch, context) {
      const beta = klWeight(options, context);
      const { embeddings, present } = embedAll(model, batch.inputs);
      let sum: tf.Tensor1D = tf.zeros([batch.size]);
      let count: tf.Tensor1D = tf.zeros([batch.size]);
      let reconstruction: tf.Tensor1D = tf.zeros([batch.size]);
      let kl: tf.Tensor1D = tf.zeros([batch.size]);
      const subsets = nonEmptySubsets(embeddings.length);
      const samples = sampleExpertProducts({
        params: embeddings,
        present,
        subsets,
        seeds: subsets.map((_, s) => deriveSeed(context.seed, 'subset', s)),
      });
      const allTerms = elboTermsOfSamples(model, batch, samples);
      const valids = subsets.map((subset) => carries(present, subset));
      allTerms.forEach((terms, s) => {
        const valid = valids[s]!;
        const elbo = tf.add(terms.reconstruction, tf.mul(terms.kl, beta));
        sum = tf.add(sum, tf.mul(elbo, valid));
        reconstruction = tf.add(reconstruction, tf.mul(terms.reconstruction, valid));
        kl = tf.add(kl, tf.mul(terms.kl, valid));
        count = tf.add(count, valid);
      });
      let codes: tf.Tensor2D | undefined;
      return {
        total: tf.mean(tf.div(sum, count)) as tf.Scalar,
        reconstruction: tf.mean(tf.div(reconstruction, count)) as tf.Scalar,
        reconstructionByModality: meanOverCodes(
          allTerms.map((terms) => terms.losses),
          valids,
          count,
        ),
        regularisers: { kl: { value: tf.mean(tf.div(kl, count)) as tf.Scalar, weight: beta } },
        // The code encode gives: the product of the carried experts, their own subset's component,
        // computed only when read: training steps never read it.
        get codes() {
          return (codes ??= carriedExpertsProduct(embeddings, present).mu);
        },
      };
    },
    // The subset a sample carries is its own PoE component of the mixture.
    encode: encodeByCarriedExperts,
  };
}
