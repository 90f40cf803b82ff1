/**
 * Tensor Fusion Network (Zadeh et al. 2017): each modality's embedding is projected to a small
 * width, a constant 1 is appended, [h_m; 1], and the fusion is the outer product of all of them,
 * flattened, then a dense layer to the output width. The appended 1 keeps every unimodal and
 * lower-order interaction term in the product alongside the full M-way one.
 *
 * "Left out" here: an absent modality contributes [0…0; 1], the multiplicative identity of the
 * outer product's interaction terms, so only the terms that do not involve it survive.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FusionStrategy } from 'mmae/portable';
import { ConfigError, buildLayerNow } from 'mmae/portable';

const optionsSchema = z
  .object({
    /** Width each embedding is projected to before the outer product (plus the appended 1). */
    /** At most 1000: (projectTo+1)^modalities is bounded again when the modalities are known. */
    projectTo: z.number().int().positive().max(1000).default(8),
    activation: z.enum(['linear', 'tanh', 'relu']).default('tanh'),
  })
  .strict();

/** Beyond this the flattened product (and the dense layer on it) would not fit comfortably. */
const MAX_PRODUCT_WIDTH = 1_000_000;

export const tensorFusion: FusionStrategy<z.infer<typeof optionsSchema>> = {
  id: 'tensor',
  description: 'Outer product of [projected embedding; 1] over modalities, then dense (TFN).',
  optionsSchema,
  needsLatentSizedInputs: false,
  create: ({ modalities, inputSize, outputSize, options }) => {
    const productWidth = (options.projectTo + 1) ** modalities.length;
    if (productWidth > MAX_PRODUCT_WIDTH) {
      throw new ConfigError(
        `fusion.options.projectTo: ${options.projectTo} with ${modalities.length} modalities ` +
          `gives an outer product of width ${productWidth}; lower projectTo so that ` +
          `(projectTo+1)^${modalities.length} <= ${MAX_PRODUCT_WIDTH}`,
        'fusion.options.projectTo',
      );
    }
    const projections = modalities.map(() =>
      buildLayerNow(
        tf.layers.dense({
          units: options.projectTo,
          activation: options.activation,
          inputShape: [inputSize],
        }),
        [inputSize],
      ),
    );
    const output = buildLayerNow(
      tf.layers.dense({ units: outputSize, inputShape: [productWidth] }),
      [productWidth],
    );
    return {
      layers: [...projections, output],
      apply(embeddings, present) {
        const batch = embeddings[0]!.shape[0];
        const ones = tf.ones([batch, 1]);
        let product: tf.Tensor2D | undefined;
        embeddings.forEach((e, m) => {
          const h = projections[m]!.apply(e) as tf.Tensor2D;
          const z = tf.concat([tf.mul(h, tf.expandDims(present[m]!, 1)), ones], 1) as tf.Tensor2D;
          product =
            product === undefined
              ? z
              : tf.reshape(tf.mul(tf.expandDims(product, 2), tf.expandDims(z, 1)), [batch, -1]);
        });
        return output.apply(product!) as tf.Tensor2D;
      },
    };
  },
};
