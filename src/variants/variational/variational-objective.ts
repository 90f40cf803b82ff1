/**
 * The variational autoencoder on a deterministic fusion: the fusion produces [μ, log σ²] of one
 * joint posterior; the loss is the negative ELBO with a standard Gaussian prior and weight β.
 */
import * as tf from '@tensorflow/tfjs';
import { splitGaussian } from '../../distributions/gaussian.js';
import type { Objective } from '../contract.js';
import { klWeight, type ElboOptions } from '../shared/elbo-options.js';
import { elboTerms } from '../shared/elbo-terms.js';
import { embedAll } from '../shared/embed-all.js';
import { dropModalities } from '../shared/modality-dropout.js';

export interface VariationalOptions extends ElboOptions {
  readonly modalityDropout: number;
}

export function variationalObjective(options: VariationalOptions): Objective {
  return {
    probabilistic: true,
    shapes: (latentSize, fusion) => ({
      projectionSize: fusion?.needsLatentSizedInputs !== false ? 2 * latentSize : fusion.inputSize,
      fusionOutputSize: 2 * latentSize,
    }),
    loss(model, batch, context) {
      const present = model.names.map((n) => batch.inputs[n]?.present ?? tf.zeros([batch.size]));
      const encodePresent = context.training
        ? dropModalities(present as tf.Tensor1D[], options.modalityDropout, context.seed)
        : present;
      const embedded = embedAll(model, batch.inputs, encodePresent as tf.Tensor1D[]);
      const q = splitGaussian(model.fuse(embedded.embeddings, embedded.present));
      const terms = elboTerms(model, batch, q, context.seed);
      const reconstruction = tf.mean(terms.reconstruction) as tf.Scalar;
      const kl = tf.mean(terms.kl) as tf.Scalar;
      return {
        total: tf.add(reconstruction, tf.mul(kl, klWeight(options, context))) as tf.Scalar,
        reconstruction,
        reconstructionByModality: terms.perModality,
        regularisers: { kl },
        codes: terms.z,
      };
    },
    encode(model, inputs) {
      const embedded = embedAll(model, inputs);
      const posterior = splitGaussian(model.fuse(embedded.embeddings, embedded.present));
      return { z: posterior.mu, posterior };
    },
  };
}
