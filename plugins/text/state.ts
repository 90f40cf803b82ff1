/**
 * What `fit` learns and the run saves: the vocabulary and, with pretrained features, their
 * width. Read back from a run file, so it is validated before use.
 */
import { z } from 'zod';
import { LIMITS, RunError, formatIssues } from 'mmae/portable';
import { MAX_VOCABULARY } from './options.js';
import { SPECIAL_TOKENS } from './vocabulary.js';

export const textStateSchema = z
  .object({
    /**
     * Token per id; the first four are <pad>, <unk>, <bos>, <eos>. No longer than fit can make
     * (maxVocab's bound), since the embedding table and the output layer are this long.
     */
    vocabulary: z
      .array(z.unknown())
      .min(SPECIAL_TOKENS.length)
      .max(MAX_VOCABULARY)
      // One issue for the first bad word, not one per word: 100,000 issues overflow the stack.
      .superRefine((words, ctx) => {
        const bad = words.findIndex((w) => typeof w !== 'string' || w.length > LIMITS.tokenLength);
        if (bad >= 0) {
          ctx.addIssue({
            code: 'custom',
            path: [bad],
            message: `must be a word (a string of at most ${LIMITS.tokenLength} characters)`,
          });
        }
      })
      .transform((words) => words as string[]),
    /** Width of the frozen sentence vector when `pretrained` is set, else absent. */
    pretrainedDimension: z.number().int().positive().max(LIMITS.layerUnits).optional(),
  })
  .strict();

export type TextState = z.output<typeof textStateSchema>;

/** Checks a saved state; `maxVocab` (the run's options) bounds the vocabulary fit could make. */
export function parseTextState(state: unknown, maxVocab = MAX_VOCABULARY): TextState {
  const parsed = textStateSchema.safeParse(state);
  if (!parsed.success) {
    throw new RunError(
      `The saved text modality state (state.json) is malformed:\n` +
        `${formatIssues(parsed.error.issues)}\nre-run training so that the vocabulary is fitted again.`,
    );
  }
  const vocabulary = parsed.data.vocabulary;
  if (vocabulary.length > maxVocab) {
    throw new RunError(
      `The saved text vocabulary (state.json) has ${vocabulary.length} words but the run's ` +
        `options allow maxVocab ${maxVocab}; the state does not belong to this config. ` +
        'Restore the run from its source or train it again.',
    );
  }
  SPECIAL_TOKENS.forEach((token, id) => {
    if (vocabulary[id] !== token) {
      throw new RunError(
        `The saved text vocabulary has '${vocabulary[id]}' at id ${id} where '${token}' belongs; ` +
          `re-run training so that the vocabulary is fitted again.`,
      );
    }
  });
  return parsed.data;
}
