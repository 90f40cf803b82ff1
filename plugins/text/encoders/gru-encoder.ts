/**
 * 'gru': token ids [b, L] → the last GRU state [b, E]. The embedding's pad mask makes the GRU
 * carry its state through padding, so the output is the state after the <eos> token.
 * The recurrent kernel starts Glorot-uniform rather than orthogonal: tfjs warns about slowness
 * for orthogonal matrices above 2000 entries, and on captions it trained better in our tests.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from 'mmae/portable';
import { tokenEmbeddingFor, type TextEncoderArgs } from './encoder-args.js';

export function buildGruEncoder(args: TextEncoderArgs): tf.Sequential {
  const seed = (label: string): number => deriveSeed(args.seed, 'text', 'gru-encoder', label);
  return tf.sequential({
    layers: [
      tokenEmbeddingFor(args, seed('embedding')),
      tf.layers.gru({
        units: args.embeddingSize,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed('kernel') }),
        recurrentInitializer: tf.initializers.glorotUniform({ seed: seed('recurrent') }),
      }),
    ],
  });
}
