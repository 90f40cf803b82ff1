/**
 * The one reader of numeric CLI flags. A flag's value is decimal digits and nothing else, so
 * `0x10`, `1e3`, `-5`, ` 7`, `3.0` and `abc` are refused rather than read as some other number
 * (Number('0x10') is 16, Number('') is 0), and the range is checked before the value is used.
 */
import { UsageError } from '../errors/errors.js';

export interface WholeNumberRange {
  readonly min: number;
  readonly max: number;
}

/** `value` of `flag` (e.g. '--epochs') as a whole number within `range`, else a UsageError. */
export function wholeNumberFlag(value: string, flag: string, range: WholeNumberRange): number {
  const allowed = `a whole number from ${range.min} to ${range.max}`;
  if (!/^[0-9]+$/.test(value)) {
    throw new UsageError(`${flag}: "${value}" is not ${allowed} (decimal digits only).`);
  }
  const n = Number(value);
  if (n < range.min || n > range.max) {
    throw new UsageError(`${flag}: ${value} is out of range; give ${allowed}.`);
  }
  return n;
}

/** The same for an optional flag: undefined stays undefined. */
export function optionalWholeNumberFlag(
  value: string | undefined,
  flag: string,
  range: WholeNumberRange,
): number | undefined {
  return value === undefined ? undefined : wholeNumberFlag(value, flag, range);
}
