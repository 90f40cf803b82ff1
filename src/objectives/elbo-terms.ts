import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../data/contract.js';
import { klToStandardNormal, sample, type Gaussian } from '../distributions/gaussian.js';
import type { ObjectiveModel } from './contract.js';
import type { SubsetSample } from '../ops/poe-sample.js';
import { reconstructEach, type DecodesModality } from './stacked-reconstruction.js';

export interface ElboTerms {
  /** Per-sample weighted reconstruction NLL [b]. */
  readonly reconstruction: tf.Tensor1D;
  /** Per-sample KL to the prior [b]. */
  readonly kl: tf.Tensor1D;
  readonly perModality: Record<string, tf.Scalar>;
  readonly z: tf.Tensor2D;
}

/** One reparameterised sample from q, every carried modality reconstructed from it. */
export function elboTerms(
  model: ObjectiveModel,
  batch: Batch,
  q: Gaussian,
  seed: number,
): ElboTerms {
  return elboTermsOfSamples(model, batch, [{ z: sample(q, seed), kl: klToStandardNormal(q) }])[0]!;
}

/**
 * ELBO terms of codes drawn elsewhere (each z with its posterior's KL), the decoders run once on
 * all codes; with `decodes`, code i reconstructs only the modalities it allows.
 */
export function elboTermsOfSamples(
  model: ObjectiveModel,
  batch: Batch,
  samples: readonly SubsetSample[],
  decodes?: DecodesModality,
): ElboTerms[] {
  const codes = samples.map(({ z }) => z);
  return reconstructEach(model, codes, batch.inputs, decodes).map(
    ({ perModality, perSample }, i) => ({
      reconstruction: perSample,
      kl: samples[i]!.kl,
      perModality,
      z: codes[i]!,
    }),
  );
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
