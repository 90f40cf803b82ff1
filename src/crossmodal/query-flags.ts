/** The query flags shared by `retrieve` and `generate`: one of --text, --image, --audio. */
import { UsageError } from '../errors/errors.js';

export const QUERY_FLAGS = ['text', 'image', 'audio'] as const;

export const queryFlagOptions = {
  text: { type: 'string' },
  image: { type: 'string' },
  audio: { type: 'string' },
} as const;

/** The one query flag given, as [modality, value]. */
export function pickQueryFlag(
  values: Partial<Record<(typeof QUERY_FLAGS)[number], string>>,
): [string, string] | undefined {
  const given = QUERY_FLAGS.filter((f) => values[f] !== undefined);
  if (given.length > 1) {
    throw new UsageError(`give one query, not ${given.map((f) => `--${f}`).join(' and ')}.`);
  }
  const flag = given[0];
  return flag === undefined ? undefined : [flag, values[flag]!];
}
