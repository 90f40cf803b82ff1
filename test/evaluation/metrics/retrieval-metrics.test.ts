import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors/errors.js';
import {
  retrievalMetrics,
  type SimilarityMetric,
} from '../../../src/evaluation/metrics/retrieval-metrics.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { useWasmBackend } from '../../support/backend.js';

beforeAll(useWasmBackend);

/** Brute-force reference: scores every gallery item in plain JS and sorts. */
function reference(
  queries: Float32Array,
  gallery: Float32Array,
  dim: number,
  qLabels: Int32Array,
  gLabels: Int32Array,
  pairs: Int32Array,
  metric: SimilarityMetric,
  ks: number[],
) {
  const nq = queries.length / dim;
  const ng = gallery.length / dim;
  const row = (a: Float32Array, i: number) => Array.from(a.subarray(i * dim, (i + 1) * dim));
  const score = (q: number[], g: number[]) => {
    if (metric === 'euclidean') return -q.reduce((s, v, j) => s + (v - (g[j] as number)) ** 2, 0);
    const dot = q.reduce((s, v, j) => s + v * (g[j] as number), 0);
    return dot / (Math.hypot(...q) * Math.hypot(...g));
  };
  const classRanks: number[] = [];
  const aps: number[] = [];
  const instRanks: number[] = [];
  for (let i = 0; i < nq; i++) {
    const s = Array.from({ length: ng }, (_, g) => score(row(queries, i), row(gallery, g)));
    const order = Array.from({ length: ng }, (_, g) => g).sort(
      (a, b) => (s[b] as number) - (s[a] as number),
    );
    const rel = order.map((g) => (gLabels[g] === qLabels[i] ? 1 : 0));
    let hits = 0;
    let ap = 0;
    rel.forEach((r, pos) => {
      if (r) ap += ++hits / (pos + 1);
    });
    classRanks.push(rel.indexOf(1) + 1);
    aps.push(ap / hits);
    instRanks.push(order.indexOf(pairs[i] as number) + 1);
  }
  const median = (v: number[]) => {
    const s = [...v].sort((a, b) => a - b);
    return s.length % 2
      ? (s[s.length >> 1] as number)
      : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
  };
  const recall = (ranks: number[]) =>
    Object.fromEntries(ks.map((k) => [k, ranks.filter((r) => r <= k).length / ranks.length]));
  return {
    classRecall: recall(classRanks),
    classMap: aps.reduce((a, b) => a + b, 0) / nq,
    classMedian: median(classRanks),
    instRecall: recall(instRanks),
    instMap: instRanks.reduce((a, r) => a + 1 / r, 0) / nq,
    instMedian: median(instRanks),
  };
}

function randomSetup(seed: number, nq: number, ng: number, dim: number) {
  const rng = new SeededRandom(seed);
  const gallery = Float32Array.from({ length: ng * dim }, () => rng.normal());
  const galleryLabels = Int32Array.from({ length: ng }, () => rng.int(4));
  const pairs = Int32Array.from({ length: nq }, () => rng.int(ng));
  // Queries are noisy copies of their paired items, so ranks spread over 1..ng.
  const queries = new Float32Array(nq * dim);
  for (let i = 0; i < nq; i++)
    for (let j = 0; j < dim; j++)
      queries[i * dim + j] =
        (gallery[(pairs[i] as number) * dim + j] as number) + 1.2 * rng.normal();
  const queryLabels = Int32Array.from(pairs, (p) => galleryLabels[p] as number);
  return { queries, gallery, galleryLabels, queryLabels, pairs };
}

describe('retrievalMetrics', () => {
  it('scores a tiny handmade gallery as computed by hand', () => {
    // Gallery on the unit circle at 0°, 90°, 180°, 270° with classes A, B, A, B.
    const gallery = Float32Array.from([1, 0, 0, 1, -1, 0, 0, -1]);
    const galleryLabels = Int32Array.from([0, 1, 0, 1]);
    // Query 0 near 10°: order 0°, 90°, 270°, 180°. Query 1 near 100°: order 90°, 180°, 0°, 270°.
    const queries = Float32Array.from([
      Math.cos(0.17),
      Math.sin(0.17),
      Math.cos(1.75),
      Math.sin(1.75),
    ]);
    const report = retrievalMetrics({
      queries,
      gallery,
      dim: 2,
      queryLabels: Int32Array.from([0, 0]),
      galleryLabels,
      pairs: Int32Array.from([2, 1]),
      ks: [1, 2],
    });
    // Class A (0) for both. Query 0: relevant at 1 and 4 → AP (1 + 2/4)/2 = 0.75.
    // Query 1: relevant at 2 (180°) and 3 (0°) → AP (1/2 + 2/3)/2 = 7/12.
    const cls = report.classLevel!;
    expect(cls.recallAtK[1]).toBe(0.5);
    expect(cls.recallAtK[2]).toBe(1);
    expect(cls.meanAveragePrecision).toBeCloseTo((0.75 + 7 / 12) / 2, 6);
    expect(cls.medianRank).toBe(1.5);
    // Instance: query 0's pair (180°) is 4th, query 1's pair (90°) is 1st.
    const inst = report.instanceLevel!;
    expect(inst.recallAtK[1]).toBe(0.5);
    expect(inst.meanAveragePrecision).toBeCloseTo((1 / 4 + 1) / 2, 6);
    expect(inst.medianRank).toBe(2.5);
  });

  for (const metric of ['cosine', 'euclidean'] as const) {
    it(`matches a brute-force JS reference with ${metric} similarity across query chunks`, () => {
      const dim = 6;
      const s = randomSetup(metric === 'cosine' ? 1 : 2, 37, 53, dim);
      const ks = [1, 5, 10];
      const before = tf.memory().numTensors;
      // maxScores 200 → chunks of 3 queries, so chunk boundaries are exercised.
      const report = retrievalMetrics({ ...s, dim, metric, ks, maxScores: 200 });
      expect(tf.memory().numTensors).toBe(before);
      const ref = reference(
        s.queries,
        s.gallery,
        dim,
        s.queryLabels,
        s.galleryLabels,
        s.pairs,
        metric,
        ks,
      );
      for (const k of ks) {
        expect(report.classLevel!.recallAtK[k]).toBeCloseTo(ref.classRecall[k] as number, 10);
        expect(report.instanceLevel!.recallAtK[k]).toBeCloseTo(ref.instRecall[k] as number, 10);
      }
      expect(report.classLevel!.meanAveragePrecision).toBeCloseTo(ref.classMap, 5);
      expect(report.classLevel!.medianRank).toBe(ref.classMedian);
      expect(report.instanceLevel!.meanAveragePrecision).toBeCloseTo(ref.instMap, 5);
      expect(report.instanceLevel!.medianRank).toBe(ref.instMedian);
      // The setup is neither trivial nor hopeless.
      expect(report.instanceLevel!.recallAtK[1]).toBeGreaterThan(0.1);
      expect(report.instanceLevel!.recallAtK[1]).toBeLessThan(0.9);
    });
  }

  it('gives a collapsed encoder the middle rank, not rank 1', () => {
    const report = retrievalMetrics({
      queries: new Float32Array(3 * 2).fill(1),
      gallery: new Float32Array(9 * 2).fill(1),
      dim: 2,
      pairs: Int32Array.from([0, 4, 8]),
    });
    expect(report.instanceLevel!.medianRank).toBe(5);
    expect(report.instanceLevel!.recallAtK[1]).toBe(0);
  });

  it('leaves out queries whose class is absent from the gallery', () => {
    const report = retrievalMetrics({
      queries: Float32Array.from([1, 0, 0, 1]),
      gallery: Float32Array.from([1, 0, 0, 1]),
      dim: 2,
      queryLabels: Int32Array.from([0, 7]),
      galleryLabels: Int32Array.from([0, 1]),
    });
    expect(report.classLevel!.evaluatedQueries).toBe(1);
    expect(report.classLevel!.meanAveragePrecision).toBe(1);
    expect(report.instanceLevel).toBeUndefined();
  });

  it('rejects pairs outside the gallery and missing relevance information', () => {
    const base = { queries: new Float32Array(4), gallery: new Float32Array(4), dim: 2 };
    expect(() => retrievalMetrics({ ...base, pairs: Int32Array.from([0, 2]) })).toThrow(
      /pairs\[1\] is 2/,
    );
    expect(() => retrievalMetrics(base)).toThrow(UsageError);
    expect(() => retrievalMetrics({ ...base, dim: 3, pairs: Int32Array.from([0]) })).toThrow(
      /dim 3/,
    );
  });
});
