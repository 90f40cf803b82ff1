/**
 * Gated (attention) fusion: each modality gets a score s_m = w·tanh(W e_m), the scores are
 * softmaxed over the modalities a sample carries, and the fused vector is the attention-weighted
 * sum of per-modality values V_m e_m, then a dense layer to the output width.
 *
 * "Left out" here: an absent modality's score is pushed to -1e9 before the softmax, so its
 * attention weight is exactly 0 in float32 and the weights of the present ones sum to 1. Its
 * embedding then has no effect on the output (nor on the gradient of its own layers).
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FusionStrategy } from 'mmae/portable';
import { LIMITS, buildLayerNow } from 'mmae/portable';

const optionsSchema = z
  .object({
    /** Width of the tanh layer inside the scorer (≤ 65,536 units, as any layer). */
    attentionSize: z.number().int().positive().max(LIMITS.layerUnits).default(32),
    /** Width of each modality's value V_m e_m (the space the weighted sum lives in), ≤ 65,536. */
    valueSize: z.number().int().positive().max(LIMITS.layerUnits).default(64),
    /** One scorer (W, w) for all modalities, or one per modality. */
    sharedScorer: z.boolean().default(true),
  })
  .strict();

/** Added to an absent modality's score: exp(-1e9 - max) underflows to exactly 0. */
const ABSENT_SCORE = -1e9;

type DenseConfig = Parameters<typeof tf.layers.dense>[0];

export const gatedFusion: FusionStrategy<z.infer<typeof optionsSchema>> = {
  id: 'gated',
  description: 'Attention-weighted sum of per-modality values, softmax over present modalities.',
  optionsSchema,
  needsLatentSizedInputs: false,
  create: ({ modalities, inputSize, outputSize, options }) => {
    const scorerCount = options.sharedScorer ? 1 : modalities.length;
    const dense = (config: DenseConfig, fanIn: number) =>
      buildLayerNow(tf.layers.dense({ ...config, inputShape: [fanIn] }), [fanIn]);
    const hidden = Array.from({ length: scorerCount }, () =>
      dense({ units: options.attentionSize, activation: 'tanh' }, inputSize),
    );
    const scoreVectors = Array.from({ length: scorerCount }, () =>
      dense({ units: 1, useBias: false }, options.attentionSize),
    );
    const values = modalities.map(() => dense({ units: options.valueSize }, inputSize));
    const output = dense({ units: outputSize }, options.valueSize);
    const scorerOf = (m: number) => (options.sharedScorer ? 0 : m);
    return {
      layers: [...hidden, ...scoreVectors, ...values, output],
      apply(embeddings, present) {
        const scores = embeddings.map((e, m) => {
          const s = scorer(hidden[scorerOf(m)]!, scoreVectors[scorerOf(m)]!, e);
          const absent = tf.sub(1, tf.expandDims(present[m]!, 1));
          return tf.add(s, tf.mul(absent, ABSENT_SCORE));
        });
        const attention = tf.softmax(tf.concat(scores, 1)); // [b, M]
        const weighted = embeddings.map((e, m) => {
          const v = values[m]!.apply(e) as tf.Tensor2D;
          return tf.mul(v, tf.slice(attention, [0, m], [-1, 1]));
        });
        return output.apply(tf.addN(weighted)) as tf.Tensor2D;
      },
    };
  },
};

function scorer(hidden: tf.layers.Layer, vector: tf.layers.Layer, e: tf.Tensor2D): tf.Tensor2D {
  return vector.apply(hidden.apply(e)) as tf.Tensor2D;
}
