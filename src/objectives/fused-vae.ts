/**
 * The variational autoencoder on a deterministic fusion: the fusion produces [μ, log σ²] of one
 * joint posterior; the loss is the negative ELBO with a standard Gaussian prior and weight β.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';
import { splitGaussian } from '../distributions/gaussian.js';
import type { Objective } from './contract.js';
import { elboTerms, reconstructionTerms } from './elbo-terms.js';
import { embedAll } from './embed-all.js';
import { klWeight } from './kl-weight.js';
import { dropModalities } from './modality-dropout.js';

export function fusedVaeObjective(config: ModelConfig): Objective {
  return {
    variant: 'variational',
    probabilistic: true,
    shapes: (latentSize, fusionInputSize, needsLatentSized) => ({
      projectionSize: needsLatentSized ? 2 * latentSize : fusionInputSize,
      fusionOutputSize: 2 * latentSize,
    }),
    loss(model, batch, context) {
      const present = model.names.map((n) => batch.inputs[n]?.present ?? tf.zeros([batch.size]));
      const encodePresent = context.training
        ? dropModalities(present as tf.Tensor1D[], config.modalityDropout, context.seed)
        : present;
      const embedded = embedAll(model, batch.inputs, encodePresent as tf.Tensor1D[]);
      const q = splitGaussian(model.fuse(embedded.embeddings, embedded.present));
      const terms = elboTerms(model, batch, q, context.seed);
      const reconstruction = tf.mean(terms.reconstruction) as tf.Scalar;
      const kl = tf.mean(terms.kl) as tf.Scalar;
      const total = tf.add(reconstruction, tf.mul(kl, klWeight(config, context))) as tf.Scalar;
      return {
        total,
        terms: { reconstruction, kl, ...reconstructionTerms(terms.perModality) },
        z: terms.z,
      };
    },
    encode(model, inputs) {
      const embedded = embedAll(model, inputs);
      const posterior = splitGaussian(model.fuse(embedded.embeddings, embedded.present));
      return { z: posterior.mu, posterior };
    },
  };
}
