/**
 * Binds resolved options and fitted state into the ModalityInstance the core uses. The path of
 * one caption: prepare (tokenise, optional sentence vector) → encoder → … → decoder logits →
 * outputToFeatures (argmax ids) → render (text up to <eos>).
 */
import { EOS_ID, PAD_ID } from './vocabulary.js';
import * as tf from '@tensorflow/tfjs';
import type { RawValue, Artefact, ModalityInstance } from 'mmae/portable';
import { ShapeError } from 'mmae/portable';
import { buildAutoregressiveDecoder } from './autoregressive-decoder.js';
import { textCorruptions } from './corruptions.js';
import { buildTokenDecoder } from './decoder.js';
import { autoregressiveDecoding } from './greedy-decoding.js';
import type { TextEncoderArgs } from './encoders/encoder-args.js';
import { buildPretrainedMlpEncoder } from './encoders/pretrained-mlp-encoder.js';
import { tokenEncoders } from './encoders/text-encoders.js';
import { TextFeatureLayout } from './feature-layout.js';
import { tokenCrossEntropy } from './loss.js';
import { tokenMetrics } from './metrics.js';
import type { TextOptions } from './options.js';
import { readCaption } from './raw-text.js';
import { sentenceFeatures, type TextIo } from './text-io.js';
import type { TextState } from './state.js';
import { TextTokenizer } from './tokenizer.js';

/** `io` reads caption files and loads sentence features (node/ on Node); see text-io.ts. */
export function createTextInstance(
  options: TextOptions,
  state: TextState,
  io: TextIo = {},
): ModalityInstance {
  const tokenizer = new TextTokenizer(state.vocabulary, options);
  const layout = new TextFeatureLayout(options.maxLength, state.pretrainedDimension ?? 0);
  const encoderArgs: TextEncoderArgs = {
    maxLength: options.maxLength,
    vocabularySize: tokenizer.size,
    embeddingSize: options.embeddingSize,
    hiddenSize: options.hiddenSize,
    pretrainedDimension: layout.pretrainedDimension,
    seed: options.seed,
  };
  const pretrained = options.pretrained;
  const autoregressive = options.decoder === 'autoregressive';
  const logitsOf = (output: tf.Tensor): tf.Tensor3D =>
    checkedLogits(output, options.maxLength, tokenizer.size);

  return {
    id: 'text',
    featureSpec: layout.featureSpec,
    corruptions: textCorruptions(io),

    async prepare(raw: RawValue, source: string) {
      const caption = await readCaption(raw, source, io);
      const ids = tokenizer.encode(caption);
      if (pretrained === undefined) return ids;
      const extractor = await sentenceFeatures(io, pretrained);
      return layout.row(ids, await extractor.extract(caption, source));
    },

    buildEncoder() {
      return layout.hasPretrainedVector
        ? buildPretrainedMlpEncoder(encoderArgs)
        : tokenEncoders[options.encoder](encoderArgs);
    },

    buildDecoder(latentSize: number) {
      const args = {
        latentSize,
        maxLength: options.maxLength,
        vocabularySize: tokenizer.size,
        embeddingSize: options.embeddingSize,
        hiddenSize: options.hiddenSize,
        seed: options.seed,
      };
      return autoregressive ? buildAutoregressiveDecoder(args) : buildTokenDecoder(args);
    },

    ...(autoregressive
      ? { teacherForcing: autoregressiveDecoding(options.maxLength, (f) => layout.tokenIds(f)) }
      : {}),

    reconstructionLoss(target: tf.Tensor, output: tf.Tensor) {
      const ids = layout.tokenIds(target);
      const loss = tokenCrossEntropy(ids, logitsOf(output));
      ids.dispose();
      return loss;
    },

    outputToFeatures(output: tf.Tensor) {
      return tf.tidy(() => {
        const ids = padAfterEos(logitsOf(output).argMax(-1) as tf.Tensor2D);
        return layout.hasPretrainedVector ? layout.featuresFromIds(ids) : ids;
      });
    },

    async render(features: Float32Array | Int32Array): Promise<Artefact> {
      return { kind: 'text', text: tokenizer.decode(features.subarray(0, options.maxLength)) };
    },

    metrics(target: tf.Tensor, output: tf.Tensor) {
      const ids = layout.tokenIds(target);
      const result = tokenMetrics(ids, logitsOf(output));
      ids.dispose();
      return { ...result };
    },
  };
}

/**
 * Greedy ids in the prepared layout: everything after the first <eos> is <pad>. The loss never
 * trains positions past <eos>, so their argmax is noise that must not count as content.
 */
function padAfterEos(ids: tf.Tensor2D): tf.Tensor2D {
  const eos = tf.cast(tf.equal(ids, EOS_ID), 'int32');
  const afterEos = tf.greater(tf.cumsum(eos, 1, true), 0);
  return tf.where(afterEos, tf.fill(ids.shape, PAD_ID, 'int32'), ids) as tf.Tensor2D;
}

/** Decoder output must be [b, maxLength, vocabulary]; anything else is a wiring mistake. */
function checkedLogits(output: tf.Tensor, maxLength: number, vocabularySize: number): tf.Tensor3D {
  const [, length, width] = output.shape;
  if (output.rank !== 3 || length !== maxLength || width !== vocabularySize) {
    throw new ShapeError(
      `The text decoder output has shape [${output.shape.join(', ')}] but the text modality ` +
        `expects [batch, ${maxLength}, ${vocabularySize}] (maxLength, vocabulary size); ` +
        `use the decoder from buildDecoder with the same options and state.`,
    );
  }
  return output as tf.Tensor3D;
}
