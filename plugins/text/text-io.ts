/**
 * What the text plugin needs from its platform: reading caption files, and frozen sentence
 * features from a local transformers.js model. Tokenising, layers and losses are the same
 * everywhere; the Node build binds both (node/), a browser build neither for now, so it takes
 * captions as strings or bytes and refuses pretrained options with a message saying so.
 */
import { ConfigError } from 'mmae/portable';
import type { PretrainedOptions } from './options.js';

export interface SentenceFeatureExtractor {
  readonly dimension: number;
  /** One caption → its normalised sentence vector (length `dimension`). */
  extract(text: string, source: string): Promise<Float32Array>;
}

export interface TextIo {
  /** A .txt caption file's bytes, within the size limit for text files. */
  readCaptionFile?(path: string, source: string): Promise<Uint8Array>;
  /** The sentence feature model the options name, loaded once per process. */
  loadSentenceFeatureExtractor?(options: PretrainedOptions): Promise<SentenceFeatureExtractor>;
}

/** The extractor through `io`, or a ConfigError where this build has no model loader. */
export function sentenceFeatures(
  io: TextIo,
  options: PretrainedOptions,
): Promise<SentenceFeatureExtractor> {
  if (!io.loadSentenceFeatureExtractor) {
    throw new ConfigError(
      `Pretrained text model '${options.model}': this build of the text modality loads no ` +
        'pretrained models (transformers.js from a local directory needs Node); open the run ' +
        'with mmae on Node, or train without `pretrained`.',
      'pretrained.model',
    );
  }
  return io.loadSentenceFeatureExtractor(options);
}
