/**
 * Binds resolved options and fitted state into the ModalityInstance the core uses. The path of
 * one caption: prepare (tokenise, optional sentence vector) → encoder → … → decoder logits →
 * outputToFeatures (argmax ids) → render (text up to <eos>).
 */
import type * as tf from '@tensorflow/tfjs';
import type { RawValue } from '../../src/data/contract.js';
import type { Artefact, ModalityInstance } from '../../src/modality/contract.js';
import { buildTokenDecoder } from './decoder.js';
import type { TextEncoderArgs } from './encoders/encoder-args.js';
import { buildPretrainedMlpEncoder } from './encoders/pretrained-mlp-encoder.js';
import { tokenEncoders } from './encoders/text-encoders.js';
import { TextFeatureLayout } from './feature-layout.js';
import { tokenCrossEntropy } from './loss.js';
import { tokenMetrics } from './metrics.js';
import type { TextOptions } from './options.js';
import { loadSentenceFeatureExtractor } from './pretrained-features.js';
import { readCaption } from './raw-text.js';
import type { TextState } from './state.js';
import { TextTokenizer } from './tokenizer.js';

export function createTextInstance(options: TextOptions, state: TextState): ModalityInstance {
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

  return {
    id: 'text',
    featureSpec: layout.featureSpec,

    async prepare(raw: RawValue, source: string) {
      const caption = await readCaption(raw, source);
      const ids = tokenizer.encode(caption);
      if (pretrained === undefined) return ids;
      const extractor = await loadSentenceFeatureExtractor(pretrained);
      return layout.row(ids, await extractor.extract(caption, source));
    },

    buildEncoder() {
      return layout.hasPretrainedVector
        ? buildPretrainedMlpEncoder(encoderArgs)
        : tokenEncoders[options.encoder](encoderArgs);
    },

    buildDecoder(latentSize: number) {
      return buildTokenDecoder({
        latentSize,
        maxLength: options.maxLength,
        vocabularySize: tokenizer.size,
        hiddenSize: options.hiddenSize,
        seed: options.seed,
      });
    },

    reconstructionLoss(target: tf.Tensor, output: tf.Tensor) {
      const ids = layout.tokenIds(target);
      const loss = tokenCrossEntropy(ids, output as tf.Tensor3D);
      ids.dispose();
      return loss;
    },

    outputToFeatures(output: tf.Tensor) {
      const ids = output.argMax(-1) as tf.Tensor2D;
      if (!layout.hasPretrainedVector) return ids;
      const features = layout.featuresFromIds(ids);
      ids.dispose();
      return features;
    },

    async render(features: Float32Array | Int32Array): Promise<Artefact> {
      return { kind: 'text', text: tokenizer.decode(features.subarray(0, options.maxLength)) };
    },

    metrics(target: tf.Tensor, output: tf.Tensor) {
      const ids = layout.tokenIds(target);
      const result = tokenMetrics(ids, output as tf.Tensor3D);
      ids.dispose();
      return { ...result };
    },
  };
}
