/**
 * Latent [b, latent] and the caption so far [b, maxLength] → logits [b, maxLength, vocabulary].
 * Position t reads the latent and tokens 0..t-1 (the input is the caption shifted right behind
 * <bos>) through one causal self-attention block, so the logits at t never depend on a later
 * input token, and training computes every position in one pass.
 *
 * Why autoregressive: from an image alone the caption's template is unknown. A decoder that
 * predicts every position at once takes each position's most likely word under the mixture of
 * templates, and the argmax sentence can lose the digit ('a handwritten of'). Conditioning each
 * word on the words before it commits to one template and finishes it.
 *
 * Why attention rather than a GRU: both pass the tests, but a tfjs GRU runs a chain of small
 * kernels per time step; the block is a few batched products whatever the length.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from 'mmae/portable';
import { AddPerStep } from './layers/add-per-step.js';
import { CausalSelfAttention } from './layers/causal-self-attention.js';
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
  const dense = (label: string, units: number, useBias = true) =>
    tf.layers.dense({ units, useBias, kernelInitializer: glorot(label) });
  const perSample = (label: string, units: number): tf.SymbolicTensor =>
    dense(label, units).apply(latent) as tf.SymbolicTensor;
  const addLatent = (sequence: tf.SymbolicTensor, label: string, units: number) =>
    new AddPerStep().apply([sequence, perSample(label, units)]) as tf.SymbolicTensor;

  // relu(words·W + latent·V + b): a dense layer over [word, latent] at every position.
  const mixed = tf.layers
    .activation({ activation: 'relu' })
    .apply(
      addLatent(
        dense('words', args.hiddenSize, false).apply(words) as tf.SymbolicTensor,
        'latent-in',
        args.hiddenSize,
      ),
    ) as tf.SymbolicTensor;
  const states = new CausalSelfAttention({ seed: seed('attention') }).apply(
    mixed,
  ) as tf.SymbolicTensor;
  // The latent reaches the logits directly too, so a word can depend on it without the
  // attention block having to carry it.
  const logits = addLatent(
    dense('logits', args.vocabularySize, false).apply(states) as tf.SymbolicTensor,
    'latent-out',
    args.vocabularySize,
  );
  return tf.model({ inputs: [latent, previous], outputs: logits });
}
