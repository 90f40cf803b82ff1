/**
 * recall@k of an approximate index: the share of the exact top-k rows that the approximate
 * search also returns, averaged over queries.
 */
import type * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors/errors.js';
import type { ApproximateIndex } from './approximate-index.js';
import type { ExactIndex } from './exact-index.js';
import type { VectorRows } from './types.js';

export function recallAgainstExact(
  index: ApproximateIndex,
  exact: ExactIndex,
  queries: VectorRows | tf.Tensor,
  k: number,
): number {
  if (index.size !== exact.size || index.dims !== exact.dims || index.metric !== exact.metric) {
    throw new UsageError(
      `recallAgainstExact: the indexes differ (approximate ${index.size}×${index.dims} ${index.metric}, ` +
        `exact ${exact.size}×${exact.dims} ${exact.metric}); build both from the same gallery.`,
    );
  }
  const truth = exact.search(queries, k);
  const found = index.search(queries, k);
  if (truth.length === 0) {
    throw new UsageError('recallAgainstExact: no queries given; pass at least one query vector.');
  }
  let hits = 0;
  truth.forEach((hitsOfQuery, q) => {
    const expected = new Set(hitsOfQuery.map((h) => h.index));
    for (const h of found[q] ?? []) if (expected.has(h.index)) hits++;
  });
  return hits / (truth.length * k);
}
