/**
 * The text modality plugin record: captions in, token ids (and optionally a frozen sentence
 * vector) as features, a token decoder out. `fit` learns the vocabulary from training captions.
 */
import type { RawValue, ModalityInstance, ModalityPlugin } from 'mmae/portable';
import { RunError } from 'mmae/portable';
import { resolveTextOptions, textOptionsSchema, type TextOptions } from './options.js';
import { readCaption } from './raw-text.js';
import { sentenceFeatures, type TextIo } from './text-io.js';
import { parseTextState, type TextState } from './state.js';
import { createTextInstance } from './text-instance.js';
import { splitIntoTokens } from './tokenizer.js';
import { fitVocabulary } from './vocabulary.js';

async function fit(io: TextIo, raws: readonly RawValue[], input: TextOptions): Promise<TextState> {
  const options = resolveTextOptions(input);
  const tokenised: string[][] = [];
  for (const [index, raw] of raws.entries()) {
    const caption = await readCaption(raw, `training caption #${index}`, io);
    tokenised.push(splitIntoTokens(caption, options, options.maxLength - 1));
  }
  const vocabulary = fitVocabulary(tokenised, options);
  if (options.pretrained === undefined) return { vocabulary };
  const extractor = await sentenceFeatures(io, options.pretrained);
  return { vocabulary, pretrainedDimension: extractor.dimension };
}

function create(io: TextIo, input: TextOptions, savedState: TextState): ModalityInstance {
  const options = resolveTextOptions(input);
  const state = parseTextState(savedState, options.maxVocab);
  if ((options.pretrained === undefined) !== (state.pretrainedDimension === undefined)) {
    throw new RunError(
      `The text options ${options.pretrained ? 'ask for' : 'do not ask for'} pretrained features ` +
        `but the saved text state was fitted ${state.pretrainedDimension ? 'with' : 'without'} ` +
        `them; use the options the run was trained with, or train again.`,
    );
  }
  return createTextInstance(options, state, io);
}

/**
 * The plugin on a platform's file and model access: index.ts binds Node's (node/), portable.ts
 * none, for a browser bundle that takes captions as strings or bytes.
 */
export const createTextPlugin = (io: TextIo = {}): ModalityPlugin<TextOptions, TextState> => ({
  id: 'text',
  description:
    'Captions as word tokens: a mean-pooled or GRU encoder (or an MLP over frozen pretrained ' +
    'sentence features) and an autoregressive (or per-position) token decoder.',
  optionsSchema: textOptionsSchema,
  queryFlag: 'text',
  // A string is the caption itself (a .txt file is given as { kind: 'file', path }).
  rawInput: { strings: 'text' },
  fit: (raws, options) => fit(io, raws, options),
  create: (options, state) => create(io, options, state),
});
