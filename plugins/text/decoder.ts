/**
 * Latent [b, latent] → logits [b, maxLength, vocabulary]: one hidden layer, then every position's
 * logits at once. Non-autoregressive, so decoding is a single pass and greedy = per-position argmax.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from 'mmae/portable';

export interface TokenDecoderArgs {
  readonly latentSize: number;
  readonly maxLength: number;
  readonly vocabularySize: number;
  readonly hiddenSize: number;
  readonly seed: number;
}

export function buildTokenDecoder(args: TokenDecoderArgs): tf.Sequential {
  const seed = (label: string): number => deriveSeed(args.seed, 'text', 'decoder', label);
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [args.latentSize],
        units: args.hiddenSize,
        activation: 'relu',
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed('hidden') }),
      }),
      tf.layers.dense({
        units: args.maxLength * args.vocabularySize,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed('logits') }),
      }),
      tf.layers.reshape({ targetShape: [args.maxLength, args.vocabularySize] }),
    ],
  });
}
