/**
 * Checks on the row-major arrays that the metrics take (codes [n, dim], labels [n]), so a
 * mismatch fails with the field name and sizes instead of a tensor shape error deep in tfjs.
 */
import { UsageError } from '../../errors/errors.js';

/** Number of rows in `data`; throws when `data` is not whole rows of `dim` or is empty. */
export function rowCount(fn: string, field: string, data: ArrayLike<number>, dim: number): number {
  if (!Number.isInteger(dim) || dim <= 0) {
    throw new UsageError(`${fn}: dim is ${dim}; it must be a positive integer.`);
  }
  if (data.length === 0 || data.length % dim !== 0) {
    throw new UsageError(
      `${fn}: ${field} has ${data.length} values, which is not a non-empty whole number of rows ` +
        `of dim ${dim}; pass row-major [n, ${dim}] data.`,
    );
  }
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i] as number)) {
      throw new UsageError(
        `${fn}: ${field}[${i}] (row ${Math.floor(i / dim)}) is ${data[i]}; values must be finite.`,
      );
    }
  }
  return data.length / dim;
}

/** Checks `labels` has `n` integer entries in [0, classes) (without classes, any value ≥ 0). */
export function checkLabels(
  fn: string,
  field: string,
  labels: ArrayLike<number>,
  n: number,
  classes?: number,
): void {
  if (labels.length !== n) {
    throw new UsageError(
      `${fn}: ${field} has ${labels.length} entries for ${n} rows; pass one per row.`,
    );
  }
  for (let i = 0; i < n; i++) {
    const l = labels[i] as number;
    if (!Number.isInteger(l) || l < 0 || (classes !== undefined && l >= classes)) {
      const range = classes !== undefined ? `[0, ${classes})` : 'non-negative integers';
      throw new UsageError(`${fn}: ${field}[${i}] is ${l}; labels must be in ${range}.`);
    }
  }
}

/** Number of classes implied by labels: max label + 1. */
export function classCount(...labelSets: ArrayLike<number>[]): number {
  let max = -1;
  for (const labels of labelSets)
    for (let i = 0; i < labels.length; i++) max = Math.max(max, labels[i] as number);
  return max + 1;
}
