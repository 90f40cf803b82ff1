/**
 * Pretrained mode: a row [b, maxLength + D] → a small MLP over its frozen sentence vector → [b, E].
 * The token ids at the front of the row are for the decoder's loss only.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from 'mmae/portable';
import { ColumnSlice } from '../layers/column-slice.js';
import type { TextEncoderArgs } from './encoder-args.js';

export function buildPretrainedMlpEncoder(args: TextEncoderArgs): tf.Sequential {
  const seed = (label: string): number => deriveSeed(args.seed, 'text', 'pretrained-mlp', label);
  return tf.sequential({
    layers: [
      new ColumnSlice({
        inputShape: [args.maxLength + args.pretrainedDimension],
        begin: args.maxLength,
        size: args.pretrainedDimension,
      }),
      tf.layers.dense({
        units: args.hiddenSize,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed('hidden') }),
      }),
      tf.layers.dense({
        units: args.embeddingSize,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed('output') }),
      }),
    ],
  });
}
