/**
 * What `fit` learns and the run saves: the vocabulary and, with pretrained features, their
 * width. Read back from a run file, so it is validated before use.
 */
import { z } from 'zod';
import { RunError } from '../../src/errors/errors.js';
import { SPECIAL_TOKENS } from './vocabulary.js';

export const textStateSchema = z
  .object({
    /** Token per id; the first four are <pad>, <unk>, <bos>, <eos>. */
    vocabulary: z.array(z.string()).min(SPECIAL_TOKENS.length),
    /** Width of the frozen sentence vector when `pretrained` is set, else absent. */
    pretrainedDimension: z.number().int().positive().optional(),
  })
  .strict();

export type TextState = z.output<typeof textStateSchema>;

export function parseTextState(state: unknown): TextState {
  const parsed = textStateSchema.safeParse(state);
  if (!parsed.success) {
    throw new RunError(
      `The saved text modality state is malformed (${z.prettifyError(parsed.error)}); ` +
        `re-run training so that the vocabulary is fitted again.`,
    );
  }
  const vocabulary = parsed.data.vocabulary;
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
