/**
 * Low-rank Multimodal Fusion (Liu et al. 2018): the TFN outer-product weight is factorised into
 * `rank` modality-specific factors. Per modality a factor layer maps [e_m; 1] to `rank` vectors of
 * the output width; the fused vector is Σ_i w_i Π_m (W_m^(i) [e_m; 1]) + bias, computed without
 * ever forming the outer product.
 *
 * "Left out" here: an absent modality's factor outputs are replaced by ones, the identity of the
 * elementwise product, so the result is the low-rank fusion of the present modalities alone.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { FusionStrategy } from 'mmae/portable';
import { buildLayerNow } from 'mmae/portable';
import { RankCombineLayer } from './rank-combine-layer.js';

const optionsSchema = z
  .object({
    /** Rank of the factorised product: ≤ 1024, since each factor is rank × its input width. */
    rank: z.number().int().positive().max(1024).default(4),
  })
  .strict();

export const lowRankFusion: FusionStrategy<z.infer<typeof optionsSchema>> = {
  id: 'low-rank',
  description: 'Low-rank factorised tensor fusion of [embedding; 1] over modalities (LMF).',
  optionsSchema,
  needsLatentSizedInputs: false,
  create: ({ modalities, inputSize, outputSize, options }) => {
    const { rank } = options;
    // No bias: the appended 1 in [e_m; 1] plays that part, as in the paper.
    const factors = modalities.map(() =>
      buildLayerNow(
        tf.layers.dense({ units: rank * outputSize, useBias: false, inputShape: [inputSize + 1] }),
        [inputSize + 1],
      ),
    );
    const combine = buildLayerNow(new RankCombineLayer(rank, outputSize), [rank, outputSize]);
    return {
      layers: [...factors, combine],
      apply(embeddings, present) {
        const batch = embeddings[0]!.shape[0];
        const ones = tf.ones([batch, 1]);
        const terms = embeddings.map((e, m) => {
          const f = factors[m]!.apply(tf.concat([e, ones], 1)) as tf.Tensor2D;
          const p = tf.expandDims(present[m]!, 1);
          // p·f + (1-p)·1: the factor output when present, the product's identity when absent.
          return tf.add(tf.mul(f, p), tf.sub(1, p));
        });
        const product = terms.reduce((acc, t) => tf.mul(acc, t));
        return combine.apply(tf.reshape(product, [batch, rank, outputSize])) as tf.Tensor2D;
      },
    };
  },
};
