/**
 * Mean fusion: the average of the unimodal codes a sample carries. Absent modalities are left out
 * of both the sum and the count. No weights: each modality's projection must already speak the
 * latent's language, which is what makes unimodal and joint codes comparable.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FusionStrategy } from 'mmae/portable';

const optionsSchema = z.object({}).strict();

export const meanFusion: FusionStrategy<z.infer<typeof optionsSchema>> = {
  id: 'mean',
  description: 'Average of the present modalities’ codes (no weights).',
  optionsSchema,
  needsLatentSizedInputs: true,
  create: () => ({
    layers: [],
    apply(embeddings, present) {
      let sum: tf.Tensor2D = tf.zerosLike(embeddings[0]!);
      embeddings.forEach((e, m) => {
        sum = tf.add(sum, tf.mul(e, tf.expandDims(present[m]!, 1)));
      });
      const count = tf.maximum(tf.addN(present as tf.Tensor1D[]), 1);
      return tf.div(sum, tf.expandDims(count, 1));
    },
  }),
};
