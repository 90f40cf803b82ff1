/**
 * JMVAE-KL (Suzuki et al. 2016): a joint encoder q(z | x_1..x_M) (the configured fusion over the
 * modality embeddings) trained by the ELBO, plus unimodal encoders q(z | x_m) pulled towards it by
 * α Σ_m KL(q(z | X) ‖ q(z | x_m)). At inference, a sample carrying every modality uses the joint
 * encoder; one carrying a subset uses the product of its unimodal experts.
 */
import * as tf from '@tensorflow/tfjs';
import {
  klBetween,
  productOfExperts,
  splitGaussian,
  type Gaussian,
} from '../../distributions/gaussian.js';
import type { Objective } from '../contract.js';
import { elboTerms } from '../shared/elbo-terms.js';
import { unimodalExperts } from '../shared/experts.js';
import { klWeight, type ElboOptions } from '../shared/elbo-options.js';

export interface JmvaeOptions extends ElboOptions {
  /** Weight α of the KL between the joint and each unimodal posterior. */
  readonly jmvaeAlpha: number;
}

/**
 * The posterior a row is encoded with: the joint encoder's where the row carries every modality,
 * the product of its carried unimodal experts (without the prior expert) otherwise.
 */
function encodingPosterior(
  joint: Gaussian,
  experts: readonly Gaussian[],
  present: readonly tf.Tensor1D[],
): Gaussian {
  const partial = productOfExperts(experts, present, false);
  const all = tf.cast(tf.equal(tf.addN(present as tf.Tensor1D[]), present.length), 'bool');
  const pick = (a: tf.Tensor2D, b: tf.Tensor2D) =>
    tf.where(tf.tile(tf.expandDims(all, 1), [1, a.shape[1]]), a, b) as tf.Tensor2D;
  return { mu: pick(joint.mu, partial.mu), logvar: pick(joint.logvar, partial.logvar) };
}

export function jmvaeObjective(options: JmvaeOptions): Objective {
  return {
    probabilistic: true,
    // The embeddings are the unimodal experts' [μ, log σ²], and the joint encoder's input too.
    shapes: (latentSize) => ({ projectionSize: 2 * latentSize, fusionOutputSize: 2 * latentSize }),
    loss(model, batch, context) {
      const { experts, present, embeddings } = unimodalExperts(model, batch.inputs);
      const joint = splitGaussian(model.fuse(embeddings, present));
      const terms = elboTerms(model, batch, joint, context.seed);
      let alignment: tf.Tensor1D = tf.zeros([batch.size]);
      experts.forEach((q, m) => {
        alignment = tf.add(alignment, tf.mul(klBetween(joint, q), present[m]!));
      });
      const beta = klWeight(options, context);
      const perSample = tf.add(
        tf.add(terms.reconstruction, tf.mul(terms.kl, beta)),
        tf.mul(alignment, options.jmvaeAlpha),
      );
      const kl = tf.mean(terms.kl) as tf.Scalar;
      let codes: tf.Tensor2D | undefined;
      return {
        total: tf.mean(perSample) as tf.Scalar,
        reconstruction: tf.mean(terms.reconstruction) as tf.Scalar,
        reconstructionByModality: terms.perModality,
        regularisers: {
          kl: { value: kl, weight: beta },
          alignment: { value: tf.mean(alignment) as tf.Scalar, weight: options.jmvaeAlpha },
        },
        // Computed only when read: training steps never read it.
        get codes() {
          return (codes ??= encodingPosterior(joint, experts, present).mu);
        },
      };
    },
    encode(model, inputs) {
      const { experts, present, embeddings } = unimodalExperts(model, inputs);
      const joint = splitGaussian(model.fuse(embeddings, present));
      const posterior = encodingPosterior(joint, experts, present);
      return { z: posterior.mu, posterior };
    },
  };
}
