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

/** A positive whole number from a flag. */
export function positiveInteger(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\s*\d+\s*$/.test(value) || !Number.isInteger(n) || n < 1) {
    throw new UsageError(`${flag}: "${value}" must be a whole number of at least 1.`);
  }
  return n;
}
