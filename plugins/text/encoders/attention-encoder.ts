/**
 * 'attention': token ids [b, L] → one masked self-attention block over the token embeddings,
 * mean-pooled over non-pad positions → [b, E]. Unlike 'mean' it sees word order (through
 * position embeddings); unlike 'gru' all positions are processed at once.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from 'mmae/portable';
import { SelfAttentionPooling } from '../layers/self-attention-pooling.js';
import { tokenEmbeddingFor, type TextEncoderArgs } from './encoder-args.js';

export function buildAttentionEncoder(args: TextEncoderArgs): tf.Sequential {
  const seed = (label: string): number => deriveSeed(args.seed, 'text', 'attention', label);
  return tf.sequential({
    layers: [
      tokenEmbeddingFor(args, seed('embedding')),
      new SelfAttentionPooling({ seed: seed('block') }),
    ],
  });
}
