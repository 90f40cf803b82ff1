/**
 * The two likelihoods an image decoder can model, as records: each knows its per-sample loss
 * (summed over pixels) and how to turn decoder output into pixels in [0,1].
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, bernoulliNll } from 'mmae/portable';
import type { ImageOptions } from './options.js';

export interface ImageLikelihood {
  readonly id: ImageOptions['likelihood'];
  /** target, output: [b, h, w, c] (or any shape with the same size per sample) → [b]. */
  loss(target: tf.Tensor, output: tf.Tensor): tf.Tensor1D;
  /** Decoder output → the likelihood's mean, in feature space. */
  toFeatures(output: tf.Tensor): tf.Tensor;
}

/** Pixels are probabilities; the decoder emits logits. */
export const bernoulliLikelihood: ImageLikelihood = {
  id: 'bernoulli',
  // Sigmoid cross-entropy from logits, summed over pixels (max(x, 0) − x·z + log1p(exp(−|x|))):
  // one native kernel each way on wasm (src/ops/bernoulli-nll.ts).
  loss: (target, output) =>
    tf.tidy(() => {
      const [z, x] = flattenPair(target, output);
      return bernoulliNll(z, x);
    }),
  toFeatures: (output) => tf.sigmoid(output),
};

/** Pixels are Gaussian with unit variance around the decoder's mean (constants dropped). */
export const gaussianLikelihood: ImageLikelihood = {
  id: 'gaussian',
  loss: (target, output) =>
    tf.tidy(() => {
      const [z, x] = flattenPair(target, output);
      return tf.squaredDifference(x, z).sum(1) as tf.Tensor1D;
    }),
  // A clone, so the caller may dispose output and features independently.
  toFeatures: (output) => tf.clone(output),
};

export const IMAGE_LIKELIHOODS: Readonly<Record<ImageOptions['likelihood'], ImageLikelihood>> = {
  bernoulli: bernoulliLikelihood,
  gaussian: gaussianLikelihood,
};

/** Both as [b, pixels]; a size mismatch is a model wiring error, reported with both shapes. */
function flattenPair(target: tf.Tensor, output: tf.Tensor): [tf.Tensor2D, tf.Tensor2D] {
  const batch = target.shape[0] ?? 1;
  const perSample = target.size / batch;
  if (output.shape[0] !== batch || output.size / batch !== perSample) {
    throw new ShapeError(
      `Image reconstruction: target shape [${target.shape.join(', ')}] and decoder output ` +
        `shape [${output.shape.join(', ')}] differ. The decoder must emit the image's ` +
        `[height, width, channels] for each sample.`,
    );
  }
  return [
    target.reshape([batch, perSample]).toFloat() as tf.Tensor2D,
    output.reshape([batch, perSample]) as tf.Tensor2D,
  ];
}
