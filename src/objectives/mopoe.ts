/**
 * MoPoE (Sutter et al. 2021): the joint posterior is the uniform mixture, over all non-empty
 * subsets of modalities, of the product of the subset's experts. The objective averages, over the
 * subsets a sample can form from what it carries, the subset's ELBO (reconstruct every carried
 * modality from z ~ q_subset, plus β KL(q_subset ‖ p)), which upper-bounds the mixture's KL.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';
import { productOfExperts } from '../model/gaussian.js';
import { deriveSeed } from '../random/seeded-random.js';
import type { Objective } from './contract.js';
import { elboTermsEach } from './elbo-terms.js';
import { unimodalExperts } from './experts.js';
import { klWeight } from './kl-weight.js';
import { nonEmptySubsets } from './subsets.js';

/** Presence restricted to a subset, and whether the sample carries any of it. */
function restrict(present: readonly tf.Tensor1D[], subset: readonly number[]) {
  const masks = present.map((p, i) => (subset.includes(i) ? p : tf.zerosLike(p)));
  const valid = tf.cast(tf.greater(tf.addN(masks), 0), 'float32') as tf.Tensor1D;
  return { masks, valid };
}

export function mopoeObjective(config: ModelConfig): Objective {
  return {
    variant: 'mopoe',
    probabilistic: true,
    shapes: (latentSize) => ({ projectionSize: 2 * latentSize, fusionOutputSize: 0 }),
    loss(model, batch, context) {
      const beta = klWeight(config, context);
      const { experts, present } = unimodalExperts(model, batch.inputs);
      let sum: tf.Tensor1D = tf.zeros([batch.size]);
      let count: tf.Tensor1D = tf.zeros([batch.size]);
      let reconstruction: tf.Tensor1D = tf.zeros([batch.size]);
      let kl: tf.Tensor1D = tf.zeros([batch.size]);
      let jointZ: tf.Tensor2D | undefined;
      const subsets = nonEmptySubsets(experts.length).map((subset) => restrict(present, subset));
      const allTerms = elboTermsEach(
        model,
        batch,
        subsets.map(({ masks }) => productOfExperts(experts, masks)),
        subsets.map((_, s) => deriveSeed(context.seed, 'subset', s)),
      );
      allTerms.forEach((terms, s) => {
        const { valid } = subsets[s]!;
        jointZ = terms.z;
        const elbo = tf.add(terms.reconstruction, tf.mul(terms.kl, beta));
        sum = tf.add(sum, tf.mul(elbo, valid));
        reconstruction = tf.add(reconstruction, tf.mul(terms.reconstruction, valid));
        kl = tf.add(kl, tf.mul(terms.kl, valid));
        count = tf.add(count, valid);
      });
      return {
        total: tf.mean(tf.div(sum, count)) as tf.Scalar,
        terms: {
          reconstruction: tf.mean(tf.div(reconstruction, count)) as tf.Scalar,
          kl: tf.mean(tf.div(kl, count)) as tf.Scalar,
        },
        z: jointZ,
      };
    },
    encode(model, inputs) {
      // The subset a sample carries is its own PoE component of the mixture.
      const { experts, present } = unimodalExperts(model, inputs);
      const posterior = productOfExperts(experts, present);
      return { z: posterior.mu, posterior };
    },
  };
}
