/**
 * Retrieval where relevance is given, not paired: a gallery item is relevant to a query when their
 * keys are equal (the same emoji, whichever vendor drew it and whichever caption names it), or when
 * a predicate says so. A query may have many relevant items, and a gallery may score several
 * items alike (two identical captions give identical codes).
 *
 * Ties are scored as their expectation under a uniformly random order of the tied items
 * (McSherry & Najork, "Computing information retrieval performance measures efficiently in the
 * presence of tied scores", ECIR 2008), so the numbers do not depend on gallery order and a
 * collapsed encoder that scores everything alike gets chance, not rank 1:
 * - rank: the expected rank of the first relevant item, n + (t + 1) / (r + 1) when n items score
 *   above the best relevant score and t items tie with it, r of them relevant;
 * - Recall@k: the probability that a relevant item is in the top k (the share of queries with
 *   one there, as for paired retrieval);
 * - precision@k: the expected share of the top k that is relevant;
 * - AP: the expected average precision.
 * A query with no relevant item in the gallery (or no key) has no rank; it is left out of every
 * mean and counted in `excludedQueries`.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../../errors/errors.js';
import { mean, median, type RetrievalScores } from './retrieval-metrics.js';
import { rowCount } from './rows.js';
import { l2Normalise, similarity, type SimilarityMetric } from './similarity.js';

/** A key per row; undefined where unknown (such a query is excluded, such an item never relevant). */
export type RowKeys = readonly (string | number | undefined)[];

/** Relevance as keys (relevant = equal keys) or as a predicate on (query row, gallery row). */
export type Relevance =
  | { readonly queryKeys: RowKeys; readonly galleryKeys: RowKeys }
  | ((query: number, item: number) => boolean);

export interface KeyedRetrievalInput {
  /** Row-major [nq, dim]. */
  readonly queries: Float32Array;
  /** Row-major [ng, dim]. */
  readonly gallery: Float32Array;
  readonly dim: number;
  readonly relevance: Relevance;
  /** Default 'cosine'. */
  readonly metric?: SimilarityMetric;
  /** Cut-offs for Recall@k; default [1, 5, 10]. */
  readonly ks?: readonly number[];
  /** Upper bound on similarity scores held at once (query chunk × gallery); default 2^21. */
  readonly maxScores?: number;
}

export interface KeyedRetrievalScores extends RetrievalScores {
  readonly queries: number;
  readonly gallery: number;
  /** Queries with no relevant item in the gallery, left out of every mean. */
  readonly excludedQueries: number;
  /**
   * The same scores for a ranking that tells no item apart (every score tied): what chance
   * reaches with these queries and this gallery, to read the scores against.
   */
  readonly chance: Omit<RetrievalScores, 'evaluatedQueries'>;
}

/** One query's tie-aware scores: see the module comment. */
export interface QueryRanking {
  readonly firstRank: number;
  readonly averagePrecision: number;
  /** P(a relevant item in the top k), per k. */
  readonly hitAtK: number[];
  /** Expected relevant items in the top k, per k. */
  readonly relevantAtK: number[];
}

/** Items of ascending `sorted` strictly above `v`, and equal to it. */
function countAbove(sorted: Float32Array, v: number): { above: number; equal: number } {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) < v) lo = mid + 1;
    else hi = mid;
  }
  const first = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((sorted[mid] as number) <= v) lo = mid + 1;
    else hi = mid;
  }
  return { above: sorted.length - lo, equal: lo - first };
}

/** P(at least one of r relevant among the first m of t tied items), m < t. */
function hitProbability(t: number, r: number, m: number): number {
  if (m <= 0) return 0;
  if (m > t - r) return 1;
  let miss = 1;
  for (let j = 0; j < m; j++) miss *= (t - r - j) / (t - j);
  return 1 - miss;
}

/**
 * Tie-aware ranking of one query: `scores` of every gallery item (higher = more similar), and the
 * indices of the relevant ones (at least one).
 */
export function rankQuery(
  scores: Float32Array,
  relevant: readonly number[],
  ks: readonly number[],
): QueryRanking {
  const sorted = Float32Array.from(scores).sort();
  const values = relevant.map((g) => scores[g] as number).sort((a, b) => b - a);
  const hitAtK = ks.map(() => 0);
  const relevantAtK = ks.map(() => 0);
  let firstRank = NaN;
  let apSum = 0;
  let before = 0;
  for (let i = 0; i < values.length;) {
    const v = values[i] as number;
    let r = 0;
    while (i < values.length && values[i] === v) {
      r++;
      i++;
    }
    const { above: n, equal: t } = countAbove(sorted, v);
    if (before === 0) {
      firstRank = n + (t + 1) / (r + 1);
      ks.forEach((k, j) => (hitAtK[j] = hitProbability(t, r, k - n)));
    }
    ks.forEach((k, j) => {
      relevantAtK[j] = (relevantAtK[j] as number) + (Math.min(Math.max(k - n, 0), t) * r) / t;
    });
    // Position n + j of the tied block holds a relevant item with probability r / t; given that,
    // the relevant items above it are `before` + 1 + (j − 1)(r − 1)/(t − 1) in expectation.
    for (let j = 1; j <= t; j++) {
      const hits = before + 1 + (t > 1 ? ((j - 1) * (r - 1)) / (t - 1) : 0);
      apSum += ((r / t) * hits) / (n + j);
    }
    before += r;
  }
  return { firstRank, averagePrecision: apSum / values.length, hitAtK, relevantAtK };
}

function checkKeys(fn: string, field: string, keys: RowKeys, n: number): void {
  if (keys.length !== n) {
    throw new UsageError(
      `${fn}: ${field} has ${keys.length} entries for ${n} rows; pass one per row.`,
    );
  }
}

/** relevantOf(q): the gallery rows relevant to query q (empty: excluded). */
function relevanceLists(
  relevance: Relevance,
  nq: number,
  ng: number,
): (q: number) => readonly number[] {
  const fn = 'keyedRetrievalMetrics';
  if (typeof relevance === 'function') {
    return (q) => Array.from({ length: ng }, (_, g) => g).filter((g) => relevance(q, g));
  }
  checkKeys(fn, 'queryKeys', relevance.queryKeys, nq);
  checkKeys(fn, 'galleryKeys', relevance.galleryKeys, ng);
  const rowsOf = new Map<string | number, number[]>();
  relevance.galleryKeys.forEach((key, g) => {
    if (key === undefined) return;
    const rows = rowsOf.get(key);
    if (rows) rows.push(g);
    else rowsOf.set(key, [g]);
  });
  return (q) => {
    const key = relevance.queryKeys[q];
    return key === undefined ? [] : (rowsOf.get(key) ?? []);
  };
}

/** Recall@k, precision@k, mAP and median rank with relevance by key or predicate. */
export function keyedRetrievalMetrics(input: KeyedRetrievalInput): KeyedRetrievalScores {
  const fn = 'keyedRetrievalMetrics';
  const ks = input.ks ?? [1, 5, 10];
  for (const k of ks) {
    if (!Number.isInteger(k) || k < 1)
      throw new UsageError(`${fn}: k = ${k} in ks must be a positive integer.`);
  }
  const metric = input.metric ?? 'cosine';
  if (metric !== 'cosine' && metric !== 'euclidean') {
    throw new UsageError(
      `${fn}: metric "${String(metric)}" is unknown; use 'cosine' or 'euclidean'.`,
    );
  }
  const { dim } = input;
  const nq = rowCount(fn, 'queries', input.queries, dim);
  const ng = rowCount(fn, 'gallery', input.gallery, dim);
  const relevantOf = relevanceLists(input.relevance, nq, ng);
  const chunk = Math.max(1, Math.floor((input.maxScores ?? 2 ** 21) / ng));

  const rankings: QueryRanking[] = [];
  const chance: QueryRanking[] = [];
  // Chance depends only on how many items are relevant: one tied ranking per count.
  const chanceOf = new Map<number, QueryRanking>();
  const tied = new Float32Array(ng);
  let excluded = 0;
  const gallery = tf.tidy(() => {
    const g = tf.tensor2d(input.gallery, [ng, dim]);
    return metric === 'cosine' ? l2Normalise(g) : g;
  });
  const gNormSq = tf.tidy(() => gallery.square().sum(1).expandDims(0) as tf.Tensor2D);
  try {
    for (let start = 0; start < nq; start += chunk) {
      const end = Math.min(start + chunk, nq);
      const scores = tf.tidy(() => {
        const q = tf.tensor2d(input.queries.subarray(start * dim, end * dim), [end - start, dim]);
        return similarity(metric === 'cosine' ? l2Normalise(q) : q, gallery, gNormSq, metric);
      });
      const values = scores.dataSync() as Float32Array;
      scores.dispose();
      for (let q = start; q < end; q++) {
        const relevant = relevantOf(q);
        if (relevant.length === 0) {
          excluded++;
          continue;
        }
        const row = values.subarray((q - start) * ng, (q - start + 1) * ng);
        rankings.push(rankQuery(row, relevant, ks));
        let atChance = chanceOf.get(relevant.length);
        if (!atChance) chanceOf.set(relevant.length, (atChance = rankQuery(tied, relevant, ks)));
        chance.push(atChance);
      }
    }
  } finally {
    tf.dispose([gallery, gNormSq]);
  }

  return {
    queries: nq,
    gallery: ng,
    ...aggregate(rankings, ks),
    evaluatedQueries: rankings.length,
    excludedQueries: excluded,
    chance: aggregate(chance, ks),
  };
}

/** Means (and the median rank) over queries of their rankings. */
function aggregate(
  rankings: readonly QueryRanking[],
  ks: readonly number[],
): Omit<RetrievalScores, 'evaluatedQueries'> {
  const ranks = rankings.map((r) => r.firstRank);
  const recallAtK: Record<number, number> = {};
  const precisionAtK: Record<number, number> = {};
  ks.forEach((k, j) => {
    recallAtK[k] = mean(rankings.map((r) => r.hitAtK[j] as number));
    precisionAtK[k] = mean(rankings.map((r) => (r.relevantAtK[j] as number) / k));
  });
  return {
    recallAtK,
    precisionAtK,
    meanAveragePrecision: mean(rankings.map((r) => r.averagePrecision)),
    medianRank: ranks.length ? median(ranks) : NaN,
    meanRank: mean(ranks),
  };
}
