/**
 * Latent [b, latent] and the caption so far [b, maxLength] → logits [b, maxLength, vocabulary].
 * Position t reads the latent and tokens 0..t-1 (the input is the caption shifted right behind
 * <bos>), through a GRU, so it is causal: the logits at t never depend on a later input token.
 *
 * Why autoregressive: from an image alone the caption's template is unknown. A decoder that
 * predicts every position at once takes each position's most likely word under the mixture of
 * templates, and the argmax sentence can lose the digit ('a handwritten of'). Conditioning each
 * word on the words before it commits to one template and finishes it.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../src/random/seeded-random.js';
import { TokenEmbedding } from './layers/token-embedding.js';

export interface AutoregressiveDecoderArgs {
  readonly latentSize: number;
  readonly maxLength: number;
  readonly vocabularySize: number;
  readonly embeddingSize: number;
  readonly hiddenSize: number;
  readonly seed: number;
}

export function buildAutoregressiveDecoder(args: AutoregressiveDecoderArgs): tf.LayersModel {
  const seed = (label: string): number => deriveSeed(args.seed, 'text', 'ar-decoder', label);
  const glorot = (label: string) => tf.initializers.glorotUniform({ seed: seed(label) });
  const latent = tf.input({ shape: [args.latentSize], name: 'latent' });
  const previous = tf.input({ shape: [args.maxLength], dtype: 'int32', name: 'previous_tokens' });

  const words = new TokenEmbedding({
    vocabularySize: args.vocabularySize,
    embeddingSize: args.embeddingSize,
    seed: seed('embedding'),
    maskPadding: false,
  }).apply(previous) as tf.SymbolicTensor;
  const context = tf.layers
    .dense({ units: args.hiddenSize, activation: 'relu', kernelInitializer: glorot('context') })
    .apply(latent) as tf.SymbolicTensor;
  const contextPerStep = tf.layers
    .repeatVector({ n: args.maxLength })
    .apply(context) as tf.SymbolicTensor;
  const steps = tf.layers.concatenate().apply([words, contextPerStep]) as tf.SymbolicTensor;
  const states = tf.layers
    .gru({
      units: args.hiddenSize,
      returnSequences: true,
      kernelInitializer: glorot('kernel'),
      // Glorot rather than orthogonal, as in the GRU encoder: tfjs's orthogonal initialiser is
      // slow above 2000 entries.
      recurrentInitializer: glorot('recurrent'),
    })
    .apply(steps) as tf.SymbolicTensor;
  // The latent reaches the logits directly too, so a word can depend on it without the GRU
  // having to carry it.
  const withContext = tf.layers.concatenate().apply([states, contextPerStep]) as tf.SymbolicTensor;
  const logits = tf.layers
    .dense({ units: args.vocabularySize, kernelInitializer: glorot('logits') })
    .apply(withContext) as tf.SymbolicTensor;
  return tf.model({ inputs: [latent, previous], outputs: logits });
}
