/**
 * A model variant from outside mmae's src/, built on the package root alone: the denoising joint
 * autoencoder (Vincent et al. 2008). While training, each float modality's features reach its
 * encoder with Gaussian noise of standard deviation `noise`, and the decoders reconstruct the
 * clean features; a small penalty on ‖z‖² keeps the codes bounded. Codes at inference come from
 * the clean inputs through the config's fusion.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { deriveSeed, embedAll } from 'mmae';
import type { ModalityBatch, Objective, VariantContribution } from 'mmae';

const optionsSchema = z
  .object({
    /** Standard deviation of the noise added to float features while training. */
    noise: z.number().gt(0).max(1).default(0.2),
    /** Weight of the mean squared code norm in the total. */
    codePenalty: z.number().nonnegative().default(1e-3),
  })
  .strict();

export type DenoisingOptions = z.infer<typeof optionsSchema>;

/** The inputs with noise on every float modality; token ids are left as they are. */
function corrupted(
  inputs: Readonly<Record<string, ModalityBatch>>,
  noise: number,
  seed: number,
): Record<string, ModalityBatch> {
  const out: Record<string, ModalityBatch> = {};
  Object.entries(inputs).forEach(([name, input], m) => {
    const features = input.features;
    out[name] =
      features.dtype === 'float32'
        ? {
            ...input,
            features: tf.add(
              features,
              tf.randomNormal(features.shape, 0, noise, 'float32', deriveSeed(seed, 'noise', m)),
            ),
          }
        : input;
  });
  return out;
}

function denoisingObjective(options: DenoisingOptions): Objective {
  const code = (
    model: Parameters<Objective['encode']>[0],
    inputs: Record<string, ModalityBatch>,
  ) => {
    const { embeddings, present } = embedAll(model, inputs);
    return model.fuse(embeddings, present);
  };
  return {
    probabilistic: false,
    shapes: (latentSize, fusion) => ({
      projectionSize: fusion?.needsLatentSizedInputs === false ? fusion.inputSize : latentSize,
      fusionOutputSize: latentSize,
    }),
    loss(model, batch, context) {
      const inputs = context.training
        ? corrupted(batch.inputs, options.noise, context.seed)
        : { ...batch.inputs };
      const codes = code(model, inputs);
      const { perModality, perSample } = model.reconstruct(codes, batch.inputs);
      const reconstruction = tf.mean(perSample) as tf.Scalar;
      const codeNorm = tf.mean(tf.sum(tf.square(codes), 1)) as tf.Scalar;
      return {
        total: tf.add(reconstruction, tf.mul(codeNorm, options.codePenalty)) as tf.Scalar,
        reconstruction,
        reconstructionByModality: perModality,
        regularisers: { codeNorm: { value: codeNorm, weight: options.codePenalty } },
        codes,
      };
    },
    encode: (model, inputs) => ({ z: code(model, { ...inputs }) }),
  };
}

export const denoisingVariant: VariantContribution<DenoisingOptions> = {
  id: 'denoising',
  description: 'Denoising joint autoencoder: noisy inputs in, clean reconstructions out',
  optionsSchema,
  usesFusion: true,
  createObjective: ({ options }) => denoisingObjective(options),
};
