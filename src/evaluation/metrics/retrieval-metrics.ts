/**
 * Cross-modal retrieval metrics. Similarities come from one matrix product per chunk of queries
 * (never a loop over gallery items), and chunks bound memory to about `maxScores` floats at a time.
 *
 * Two notions of relevance:
 * - class level: every gallery item with the query's label is relevant. Ranking comes from a full
 *   top-k sort; ties break by gallery index. Queries whose class is absent from the gallery are
 *   left out (their AP is undefined) and counted in `evaluatedQueries`.
 * - instance level: only the paired gallery item is relevant. Its rank is 1 + the number of items
 *   scoring higher + half the others scoring equal (the expected rank under random tie-breaking),
 *   so a collapsed encoder that scores everything alike is not rewarded with rank 1.
 *
 * Relevance by key, where a query may have several relevant items and ties are scored as their
 * expectation (the same emoji drawn twice, captioned thrice), is keyed-retrieval.ts.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../../errors/errors.js';
import { checkLabels, rowCount } from './rows.js';
import { l2Normalise, similarity, type SimilarityMetric } from './similarity.js';

export type { SimilarityMetric };

export interface RetrievalInput {
  /** Row-major [nq, dim]. */
  readonly queries: Float32Array;
  /** Row-major [ng, dim]. */
  readonly gallery: Float32Array;
  readonly dim: number;
  /** Needed, with `galleryLabels`, for class-level metrics. */
  readonly queryLabels?: Int32Array;
  readonly galleryLabels?: Int32Array;
  /** pairs[i] is the gallery index of query i's own item; enables instance-level metrics. */
  readonly pairs?: Int32Array;
  /** Default 'cosine'. */
  readonly metric?: SimilarityMetric;
  /** Cut-offs for Recall@k; default [1, 5, 10]. */
  readonly ks?: readonly number[];
  /** Upper bound on similarity scores held at once (query chunk × gallery); default 2^21. */
  readonly maxScores?: number;
}

export interface RetrievalScores {
  /** Share of queries with a relevant item in the top k, keyed by k. */
  readonly recallAtK: Readonly<Record<number, number>>;
  /** Class level: share of the top k that is relevant; instance level: recall@k / k. */
  readonly precisionAtK: Readonly<Record<number, number>>;
  /** Mean over queries of average precision (instance level: mean reciprocal rank). */
  readonly meanAveragePrecision: number;
  /** Median over queries of the rank of the first relevant item (1 = best). */
  readonly medianRank: number;
  readonly meanRank: number;
  readonly evaluatedQueries: number;
}

export interface RetrievalReport {
  readonly metric: SimilarityMetric;
  readonly queries: number;
  readonly gallery: number;
  readonly classLevel?: RetrievalScores;
  readonly instanceLevel?: RetrievalScores;
}

interface ClassChunk {
  readonly firstRank: Int32Array;
  /** Σ over relevant positions r of (relevant items in the top r) / r; AP = this / relevant count. */
  readonly precisionSum: Float32Array;
  readonly hitsAtK: Float32Array[];
}

/**
 * Class-level ranking of one query chunk. `inverseRanks` is [ng, 1] of 1/1, 1/2, … so that the
 * precision sum is one matrix product instead of a broadcast division and a reduction (broadcast
 * element-wise ops are slow on the wasm backend).
 */
function classLevelChunk(
  scores: tf.Tensor2D,
  qLabels: tf.Tensor1D,
  gLabels: tf.Tensor1D,
  inverseRanks: tf.Tensor2D,
  ks: readonly number[],
): ClassChunk {
  const [c, ng] = scores.shape;
  const result = tf.tidy(() => {
    const { indices } = tf.topk(scores, ng, true);
    const relevant = tf.equal(tf.gather(gLabels, indices), qLabels.expandDims(1)).toFloat();
    const hits = tf.cumsum(relevant, 1);
    const precisionSum = relevant.mul(hits).matMul(inverseRanks).reshape([c]);
    const first = relevant.argMax(1).add(1);
    const atK = ks.map((k) => hits.slice([0, Math.min(k, ng) - 1], [c, 1]).reshape([c]));
    return [first, precisionSum, ...atK];
  });
  const [first, precisionSum, ...atK] = result.map((t) => t.dataSync());
  tf.dispose(result);
  return {
    firstRank: Int32Array.from(first as ArrayLike<number>),
    precisionSum: Float32Array.from(precisionSum as ArrayLike<number>),
    hitsAtK: atK.map((h) => Float32Array.from(h as ArrayLike<number>)),
  };
}

/**
 * Expected rank of each query's paired item: 1 + #higher + (#equal − 1) / 2. With
 * S = Σ sign(score − paired) = #higher − #lower, that is (ng + 1 + S) / 2: one broadcast
 * subtraction, one sign and one sum.
 */
function instanceRanks(scores: tf.Tensor2D, pairs: tf.Tensor1D): Float32Array {
  const ranks = tf.tidy(() => {
    const ng = scores.shape[1];
    // The paired item's score read from the same matrix, so it compares equal to itself exactly.
    const rows = tf.range(0, pairs.shape[0], 1, 'int32');
    const paired = tf.gatherND(scores, tf.stack([rows, pairs], 1)).expandDims(1);
    return scores
      .sub(paired)
      .sign()
      .sum(1)
      .add(ng + 1)
      .div(2);
  });
  const values = ranks.dataSync() as Float32Array;
  ranks.dispose();
  return values;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

export function mean(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i] as number;
  return values.length ? s / values.length : NaN;
}

function checkInput(input: RetrievalInput, ks: readonly number[]): { nq: number; ng: number } {
  const fn = 'retrievalMetrics';
  const nq = rowCount(fn, 'queries', input.queries, input.dim);
  const ng = rowCount(fn, 'gallery', input.gallery, input.dim);
  if (!input.pairs && !(input.queryLabels && input.galleryLabels)) {
    throw new UsageError(
      `${fn}: pass queryLabels and galleryLabels (class level), pairs (instance level), or both.`,
    );
  }
  if (!!input.queryLabels !== !!input.galleryLabels) {
    throw new UsageError(`${fn}: queryLabels and galleryLabels must be passed together.`);
  }
  if (input.queryLabels) checkLabels(fn, 'queryLabels', input.queryLabels, nq);
  if (input.galleryLabels) checkLabels(fn, 'galleryLabels', input.galleryLabels, ng);
  if (input.pairs) checkLabels(fn, 'pairs', input.pairs, nq, ng);
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
  return { nq, ng };
}

function scoresFrom(
  ranks: number[],
  averagePrecision: number[],
  ks: readonly number[],
  precisionAtK: number[][],
): RetrievalScores {
  const recallAtK: Record<number, number> = {};
  const precision: Record<number, number> = {};
  ks.forEach((k, i) => {
    recallAtK[k] = mean(ranks.map((r) => (r <= k ? 1 : 0)));
    precision[k] = mean(precisionAtK[i] as number[]);
  });
  return {
    recallAtK,
    precisionAtK: precision,
    meanAveragePrecision: mean(averagePrecision),
    medianRank: ranks.length ? median(ranks) : NaN,
    meanRank: mean(ranks),
    evaluatedQueries: ranks.length,
  };
}

/** Recall@k, mAP and median rank at class and/or instance level. */
export function retrievalMetrics(input: RetrievalInput): RetrievalReport {
  const ks = input.ks ?? [1, 5, 10];
  const { nq, ng } = checkInput(input, ks);
  const { dim } = input;
  const metric = input.metric ?? 'cosine';
  const chunk = Math.max(1, Math.floor((input.maxScores ?? 2 ** 21) / ng));

  const gallery = tf.tidy(() => {
    const g = tf.tensor2d(input.gallery, [ng, dim]);
    return metric === 'cosine' ? l2Normalise(g) : g;
  });
  const gNormSq = tf.tidy(() => gallery.square().sum(1).expandDims(0) as tf.Tensor2D);
  const gLabels = input.galleryLabels ? tf.tensor1d(input.galleryLabels, 'int32') : undefined;
  const inverseRanks = input.galleryLabels
    ? tf.tidy(
        () =>
          tf
            .range(1, ng + 1, 1, 'float32')
            .reciprocal()
            .reshape([ng, 1]) as tf.Tensor2D,
      )
    : undefined;
  const galleryClassSizes = new Map<number, number>();
  for (const label of input.galleryLabels ?? []) {
    galleryClassSizes.set(label, (galleryClassSizes.get(label) ?? 0) + 1);
  }

  const classRanks: number[] = [];
  const classAp: number[] = [];
  const classPrecision: number[][] = ks.map(() => []);
  const instRanks: number[] = [];
  try {
    for (let start = 0; start < nq; start += chunk) {
      const end = Math.min(start + chunk, nq);
      const scores = tf.tidy(() => {
        const q = tf.tensor2d(input.queries.subarray(start * dim, end * dim), [end - start, dim]);
        return similarity(metric === 'cosine' ? l2Normalise(q) : q, gallery, gNormSq, metric);
      });
      try {
        if (gLabels && inverseRanks && input.queryLabels) {
          const chunkLabels = input.queryLabels.subarray(start, end);
          const qLabels = tf.tensor1d(chunkLabels, 'int32');
          const c = classLevelChunk(scores, qLabels, gLabels, inverseRanks, ks);
          qLabels.dispose();
          chunkLabels.forEach((label, i) => {
            const relevant = galleryClassSizes.get(label) ?? 0;
            if (relevant === 0) return;
            classRanks.push(c.firstRank[i] as number);
            classAp.push((c.precisionSum[i] as number) / relevant);
            ks.forEach((k, j) => {
              classPrecision[j]?.push(((c.hitsAtK[j] as Float32Array)[i] as number) / k);
            });
          });
        }
        if (input.pairs) {
          const pairs = tf.tensor1d(input.pairs.subarray(start, end), 'int32');
          instRanks.push(...instanceRanks(scores, pairs));
          pairs.dispose();
        }
      } finally {
        scores.dispose();
      }
    }
  } finally {
    tf.dispose([gallery, gNormSq]);
    gLabels?.dispose();
    inverseRanks?.dispose();
  }

  return {
    metric,
    queries: nq,
    gallery: ng,
    ...(input.queryLabels
      ? { classLevel: scoresFrom(classRanks, classAp, ks, classPrecision) }
      : {}),
    ...(input.pairs
      ? {
          instanceLevel: scoresFrom(
            instRanks,
            instRanks.map((r) => 1 / r),
            ks,
            ks.map((k) => instRanks.map((r) => (r <= k ? 1 / k : 0))),
          ),
        }
      : {}),
  };
}
