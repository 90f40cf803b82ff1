/**
 * Area under the ROC curve by the rank-sum (Mann-Whitney U) identity: the probability that a
 * random positive scores above a random negative, ties counting one half. Sorting once makes it
 * O(n log n) and exact, with no threshold sweep to discretise.
 */
import { UsageError } from '../../errors/errors.js';

/**
 * @param scores higher means "more likely positive"
 * @param labels 1 for positive, 0 for negative, same length as `scores`
 */
export function auroc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  if (labels.length !== n) {
    throw new UsageError(
      `auroc: scores has ${n} entries but labels has ${labels.length}; pass one label per score.`,
    );
  }
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const label = labels[i] as number;
    const score = scores[i] as number;
    if (label !== 0 && label !== 1) {
      throw new UsageError(`auroc: labels[${i}] is ${label}; labels must be 0 or 1.`);
    }
    if (!Number.isFinite(score)) {
      throw new UsageError(`auroc: scores[${i}] is ${score}; scores must be finite numbers.`);
    }
    positives += label;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) {
    throw new UsageError(
      `auroc: needs at least one positive and one negative label (got ${positives} positive, ` +
        `${negatives} negative); AUROC is undefined for a single class.`,
    );
  }

  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  // Sum of 1-based ranks of the positives, tied scores sharing their average rank.
  let positiveRankSum = 0;
  for (let start = 0; start < n;) {
    let end = start + 1;
    const value = scores[order[start] as number] as number;
    while (end < n && scores[order[end] as number] === value) end++;
    const averageRank = (start + 1 + end) / 2;
    for (let j = start; j < end; j++)
      positiveRankSum += (labels[order[j] as number] as number) * averageRank;
    start = end;
  }
  const u = positiveRankSum - (positives * (positives + 1)) / 2;
  return u / (positives * negatives);
}
