/**
 * Runs a modality's decoder the way its contract asks: on the latent alone, or, for a
 * teacher-forced decoder, on [latent, shifted target] while training and through the
 * modality's own `generate` otherwise.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModalityInstance } from '../modality/contract.js';

export function applyDecoder(
  instance: ModalityInstance,
  decoder: tf.LayersModel,
  z: tf.Tensor2D,
  options: { readonly training: boolean; readonly target?: tf.Tensor },
): tf.Tensor {
  const forcing = instance.teacherForcing;
  const run = (inputs: tf.Tensor | tf.Tensor[]): tf.Tensor =>
    decoder.apply(inputs, { training: options.training }) as tf.Tensor;
  if (!forcing) return run(z);
  const target = options.target;
  if (target) return tf.tidy(() => run([z, forcing.decoderInputs(target)]));
  return forcing.generate((inputs) => run([z, inputs]), z.shape[0]);
}
