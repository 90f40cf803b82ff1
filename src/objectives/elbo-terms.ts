import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/contract.js';
import { klToStandardNormal, sample, type Gaussian } from '../model/gaussian.js';
import type { JointModel } from '../model/joint-model.js';

export interface ElboTerms {
  /** Per-sample weighted reconstruction NLL [b]. */
  readonly reconstruction: tf.Tensor1D;
  /** Per-sample KL to the prior [b]. */
  readonly kl: tf.Tensor1D;
  readonly perModality: Record<string, tf.Scalar>;
  readonly z: tf.Tensor2D;
}

/** One reparameterised sample from q, every carried modality reconstructed from it. */
export function elboTerms(model: JointModel, batch: Batch, q: Gaussian, seed: number): ElboTerms {
  const z = sample(q, seed);
  const { perModality, perSample } = model.reconstruct(z, batch.inputs);
  return { reconstruction: perSample, kl: klToStandardNormal(q), perModality, z };
}

/** Names per-modality reconstruction terms for the loss record. */
export function reconstructionTerms(
  perModality: Record<string, tf.Scalar>,
  prefix = 'reconstruction',
): Record<string, tf.Scalar> {
  const out: Record<string, tf.Scalar> = {};
  for (const [name, value] of Object.entries(perModality)) out[`${prefix}.${name}`] = value;
  return out;
}
