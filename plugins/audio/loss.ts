/**
 * Reconstruction loss of normalised log-mel under a Gaussian of fixed variance: the squared
 * error summed over every (frame, band) of a sample, one value per sample.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from 'mmae/portable';

export function gaussianReconstructionLoss(target: tf.Tensor, output: tf.Tensor): tf.Tensor1D {
  if (!sameShape(target.shape, output.shape)) {
    throw new ShapeError(
      `audio reconstruction loss: target shape [${target.shape}] differs from decoder output ` +
        `shape [${output.shape}]; the decoder must return [batch, frames, melBands]`,
    );
  }
  return tf.tidy(() => {
    const batch = target.shape[0] as number;
    const diff = tf.squaredDifference(target.reshape([batch, -1]), output.reshape([batch, -1]));
    return diff.sum(1) as tf.Tensor1D;
  });
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
