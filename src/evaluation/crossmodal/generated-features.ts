/** Codes → the features a modality's decoder generates from them, in batches. */
import * as tf from '@tensorflow/tfjs';
import type { JointModel } from '../../model/joint-model.js';

export function generatedFeatures(
  model: JointModel,
  codes: Float32Array,
  modality: string,
  batchSize = 512,
): Float32Array | Int32Array {
  const latent = model.latentSize;
  const n = codes.length / latent;
  const instance = model.part(modality).instance;
  const width = instance.featureSpec.shape.reduce((a, b) => a * b, 1);
  const out =
    instance.featureSpec.dtype === 'int32'
      ? new Int32Array(n * width)
      : new Float32Array(n * width);
  for (let start = 0; start < n; start += batchSize) {
    const end = Math.min(n, start + batchSize);
    const features = tf.tidy(() =>
      instance.outputToFeatures(
        model.decode(
          modality,
          tf.tensor2d(codes.subarray(start * latent, end * latent), [end - start, latent]),
        ),
      ),
    );
    out.set(features.dataSync() as Float32Array | Int32Array, start * width);
    features.dispose();
  }
  return out;
}
