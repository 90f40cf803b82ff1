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
import { encodingPresence } from '../shared/modality-dropout.js';

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
      const present = encodingPresence(model, batch, context, options.modalityDropout);
      const embedded = embedAll(model, batch.inputs, present);
      const q = splitGaussian(model.fuse(embedded.embeddings, embedded.present));
      const terms = elboTerms(model, batch, q, context.seed);
      const reconstruction = tf.mean(terms.reconstruction) as tf.Scalar;
      const kl = tf.mean(terms.kl) as tf.Scalar;
      const beta = klWeight(options, context);
      return {
        total: tf.add(reconstruction, tf.mul(kl, beta)) as tf.Scalar,
        reconstruction,
        reconstructionByModality: terms.perModality,
        regularisers: { kl: { value: kl, weight: beta } },
        codes: q.mu,
      };
    },
    encode(model, inputs) {
      const embedded = embedAll(model, inputs);
      const posterior = splitGaussian(model.fuse(embedded.embeddings, embedded.present));
      return { z: posterior.mu, posterior };
    },
  };
}
