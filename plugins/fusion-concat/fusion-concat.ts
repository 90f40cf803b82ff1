/**
 * Early fusion: concatenate the modality embeddings and pass them through an MLP. An absent
 * modality's embedding is masked out and the presence mask itself is part of the MLP's input, so
 * the network knows which modalities it is missing rather than mistaking zeros for content.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FusionStrategy } from 'mmae/portable';
import { boundedList, LIMITS, buildLayerNow } from 'mmae/portable';

const optionsSchema = z
  .object({
    /** Widths of the MLP's layers: each ≤ 65,536 units, at most 16 layers (src/config/limits.ts). */
    hidden: boundedList(z.number().int().positive().max(LIMITS.layerUnits), LIMITS.layers).default([
      128,
    ]),
    activation: z.enum(['relu', 'elu', 'tanh']).default('relu'),
  })
  .strict();

export const concatFusion: FusionStrategy<z.infer<typeof optionsSchema>> = {
  id: 'concat',
  description: 'Concatenation of embeddings and presence masks, then an MLP (early fusion).',
  optionsSchema,
  needsLatentSizedInputs: false,
  create: ({ modalities, inputSize, outputSize, options }) => {
    const width = modalities.length * (inputSize + 1);
    const layers: tf.layers.Layer[] = [];
    let fanIn = width;
    for (const units of options.hidden) {
      layers.push(
        buildLayerNow(tf.layers.dense({ units, activation: options.activation }), [fanIn]),
      );
      fanIn = units;
    }
    layers.push(buildLayerNow(tf.layers.dense({ units: outputSize }), [fanIn]));
    return {
      layers,
      apply(embeddings, present) {
        const masked = embeddings.map((e, m) => tf.mul(e, tf.expandDims(present[m]!, 1)));
        const masks = present.map((p) => tf.expandDims(p, 1));
        let x: tf.Tensor = tf.concat([...masked, ...masks], 1);
        for (const layer of layers) x = layer.apply(x) as tf.Tensor;
        return x as tf.Tensor2D;
      },
    };
  },
};
