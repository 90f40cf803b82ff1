/**
 * 'mean': token ids [b, L] → the mean of the token embeddings over non-pad positions [b, E].
 * Word order is ignored; for short captions the decoder recovers it from the word set.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../../src/random/seeded-random.js';
import { MaskedMeanPooling } from '../layers/masked-mean-pooling.js';
import { TokenEmbedding } from '../layers/token-embedding.js';
import type { TextEncoderArgs } from './encoder-args.js';

export function buildMeanEncoder(args: TextEncoderArgs): tf.Sequential {
  return tf.sequential({
    layers: [
      new TokenEmbedding({
        inputShape: [args.maxLength],
        dtype: 'int32',
        vocabularySize: args.vocabularySize,
        embeddingSize: args.embeddingSize,
        seed: deriveSeed(args.seed, 'text', 'mean-encoder', 'embedding'),
      }),
      new MaskedMeanPooling(),
    ],
  });
}
