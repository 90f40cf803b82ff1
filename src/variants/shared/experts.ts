import type * as tf from '@tensorflow/tfjs';
import type { ModalityBatch } from '../../data/contract.js';
import { splitGaussian, type Gaussian } from '../../distributions/gaussian.js';
import type { ObjectiveModel } from '../contract.js';
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
