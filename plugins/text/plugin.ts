/**
 * The text modality plugin record: captions in, token ids (and optionally a frozen sentence
 * vector) as features, a token decoder out. `fit` learns the vocabulary from training captions.
 */
import type { RawValue, ModalityInstance, ModalityPlugin } from '../../src/index.js';
import { RunError } from '../../src/index.js';
import { resolveTextOptions, textOptionsSchema, type TextOptions } from './options.js';
import { loadSentenceFeatureExtractor } from './pretrained-features.js';
import { readCaption } from './raw-text.js';
import { parseTextState, type TextState } from './state.js';
import { createTextInstance } from './text-instance.js';
import { splitIntoTokens } from './tokenizer.js';
import { fitVocabulary } from './vocabulary.js';

async function fit(raws: readonly RawValue[], input: TextOptions): Promise<TextState> {
  const options = resolveTextOptions(input);
  const tokenised: string[][] = [];
  for (const [index, raw] of raws.entries()) {
    const caption = await readCaption(raw, `training caption #${index}`);
    tokenised.push(splitIntoTokens(caption, options, options.maxLength - 1));
  }
  const vocabulary = fitVocabulary(tokenised, options);
  if (options.pretrained === undefined) return { vocabulary };
  const extractor = await loadSentenceFeatureExtractor(options.pretrained);
  return { vocabulary, pretrainedDimension: extractor.dimension };
}

function create(input: TextOptions, savedState: TextState): ModalityInstance {
  const options = resolveTextOptions(input);
  const state = parseTextState(savedState, options.maxVocab);
  if ((options.pretrained === undefined) !== (state.pretrainedDimension === undefined)) {
    throw new RunError(
      `The text options ${options.pretrained ? 'ask for' : 'do not ask for'} pretrained features ` +
        `but the saved text state was fitted ${state.pretrainedDimension ? 'with' : 'without'} ` +
        `them; use the options the run was trained with, or train again.`,
    );
  }
  return createTextInstance(options, state);
}

export const textPlugin: ModalityPlugin<TextOptions, TextState> = {
  id: 'text',
  description:
    'Captions as word tokens: a mean-pooled or GRU encoder (or an MLP over frozen pretrained ' +
    'sentence features) and an autoregressive (or per-position) token decoder.',
  optionsSchema: textOptionsSchema,
  queryFlag: 'text',
  // A string is the caption itself (a .txt file is given as { kind: 'file', path }).
  rawInput: { strings: 'text' },
  fit,
  create,
};
