import * as tf from '@tensorflow/tfjs';
import type { Batch } from '../../data/contract.js';
import { klToStandardNormal, sample, type Gaussian } from '../../distributions/gaussian.js';
import type { ObjectiveModel } from '../contract.js';
import type { SubsetSample } from '../../ops/poe-sample.js';
import { reconstructEach, type DecodesModality } from './batched-decoding.js';

export interface ElboTerms {
  /** Per-sample weighted reconstruction NLL [b]. */
  readonly reconstruction: tf.Tensor1D;
  /** Per-sample KL to the prior [b]. */
  readonly kl: tf.Tensor1D;
  readonly perModality: Record<string, tf.Scalar>;
  /** Each reconstructed modality's unweighted per-sample loss [b]. */
  readonly losses: Readonly<Record<string, tf.Tensor1D>>;
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
    ({ perModality, perSample, losses }, i) => ({
      reconstruction: perSample,
      kl: samples[i]!.kl,
      perModality,
      losses,
      z: codes[i]!,
    }),
  );
}

/**
 * Per-modality batch means of losses averaged over several codes per sample: code s counts for
 * the samples where `weights[s]` is 1, and each sample's sum is divided by its `count`.
 */
export function meanOverCodes(
  perCode: readonly Readonly<Record<string, tf.Tensor1D>>[],
  weights: readonly tf.Tensor1D[],
  count: tf.Tensor1D,
): Record<string, tf.Scalar> {
  const sums: Record<string, tf.Tensor1D> = {};
  perCode.forEach((losses, s) => {
    for (const [name, loss] of Object.entries(losses)) {
      const weighted = tf.mul(loss, weights[s]!) as tf.Tensor1D;
      sums[name] = sums[name] ? (tf.add(sums[name], weighted) as tf.Tensor1D) : weighted;
    }
  });
  const out: Record<string, tf.Scalar> = {};
  for (const [name, sum] of Object.entries(sums))
    out[name] = tf.mean(tf.div(sum, count)) as tf.Scalar;
  return out;
}
