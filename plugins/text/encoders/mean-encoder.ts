/**
 * 'mean': token ids [b, L] → the mean of the token embeddings over non-pad positions [b, E].
 * Word order is ignored; for short captions the decoder recovers it from the word set.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from 'mmae/portable';
import { MaskedMeanPooling } from '../layers/masked-mean-pooling.js';
import { tokenEmbeddingFor, type TextEncoderArgs } from './encoder-args.js';

export function buildMeanEncoder(args: TextEncoderArgs): tf.Sequential {
  return tf.sequential({
    layers: [
      tokenEmbeddingFor(args, deriveSeed(args.seed, 'text', 'mean-encoder', 'embedding')),
      new MaskedMeanPooling(),
    ],
  });
}
