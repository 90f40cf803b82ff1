import type * as tf from '@tensorflow/tfjs';
import type { ModalityBatch } from '../../data/contract.js';
import { productOfExperts, splitGaussian, type Gaussian } from '../../distributions/gaussian.js';
import type { Encoding, ObjectiveModel } from '../contract.js';
import { embedAll } from './embed-all.js';

/** Each modality's own posterior q(z | x_m) (its projection read as [μ, log σ²]). */
export function unimodalExperts(
  model: ObjectiveModel,
  inputs: Readonly<Record<string, ModalityBatch>>,
): { experts: Gaussian[]; present: tf.Tensor1D[]; embeddings: tf.Tensor2D[] } {
  const embedded = embedAll(model, inputs);
  return {
    experts: embedded.embeddings.map((e) => splitGaussian(e)),
    present: embedded.present,
    embeddings: embedded.embeddings,
  };
}

/**
 * The product of the experts each row carries (with the N(0, I) prior): poe's joint posterior,
 * and mopoe's own component of its mixture for the subset the row carries.
 */
export function carriedExpertsProduct(
  embeddings: readonly tf.Tensor2D[],
  present: readonly tf.Tensor1D[],
): Gaussian {
  return productOfExperts(
    embeddings.map((e) => splitGaussian(e)),
    present,
  );
}

/** Encodes through carriedExpertsProduct: the code is its mean. */
export function encodeByCarriedExperts(
  model: ObjectiveModel,
  inputs: Readonly<Record<string, ModalityBatch>>,
): Encoding {
  const { embeddings, present } = embedAll(model, inputs);
  const posterior = carriedExpertsProduct(embeddings, present);
  return { z: posterior.mu, posterior };
}
