import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors/errors.js';
import {
  keyedRetrievalMetrics,
  rankQuery,
} from '../../../src/evaluation/metrics/keyed-retrieval.js';
import { retrievalMetrics } from '../../../src/evaluation/metrics/retrieval-metrics.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { useWasmBackend } from '../../support/backend.js';

beforeAll(useWasmBackend);

/** Every order of `n` items that sorts `scores` from high to low: each tie-breaking once. */
function tieBreakings(scores: readonly number[]): number[][] {
  const out: number[][] = [];
  const walk = (order: number[], left: number[]) => {
    if (left.length === 0) return void out.push(order);
    const best = Math.max(...left.map((g) => scores[g] as number));
    for (const g of left.filter((g) => scores[g] === best)) {
      walk(
        [...order, g],
        left.filter((x) => x !== g),
      );
    }
  };
  walk([], [...scores.keys()]);
  return out;
}

/** The metrics averaged over every tie-breaking, computed one ranking at a time. */
function bruteForce(scores: readonly number[], relevant: readonly number[], ks: readonly number[]) {
  const orders = tieBreakings(scores);
  const avg = (f: (order: number[]) => number) =>
    orders.reduce((s, o) => s + f(o), 0) / orders.length;
  const rel = (order: number[]): number[] => order.map((g) => (relevant.includes(g) ? 1 : 0));
  return {
    firstRank: avg((o) => rel(o).indexOf(1) + 1),
    averagePrecision: avg((o) => {
      let hits = 0;
      let sum = 0;
      rel(o).forEach((r, i) => {
        if (r) sum += ++hits / (i + 1);
      });
      return sum / relevant.length;
    }),
    hitAtK: ks.map((k) => avg((o) => (rel(o).slice(0, k).includes(1) ? 1 : 0))),
    relevantAtK: ks.map((k) =>
      avg((o) =>
        rel(o)
          .slice(0, k)
          .reduce((a, b) => a + b, 0),
      ),
    ),
  };
}

describe('rankQuery', () => {
  it('scores several relevant items without ties as computed by hand', () => {
    // Order: 0.9 (rel), 0.8, 0.7 (rel), 0.1 (rel). AP = (1/1 + 2/3 + 3/4) / 3.
    const r = rankQuery(Float32Array.from([0.8, 0.9, 0.1, 0.7]), [1, 2, 3], [1, 2, 3]);
    expect(r.firstRank).toBe(1);
    expect(r.averagePrecision).toBeCloseTo((1 + 2 / 3 + 3 / 4) / 3, 10);
    expect(r.hitAtK).toEqual([1, 1, 1]);
    expect(r.relevantAtK).toEqual([1, 1, 2]);
  });

  it('scores a tie as its expected order: rank (t + 1) / (r + 1) for a block of t with r relevant', () => {
    // Everything ties (a collapsed encoder): 9 items, 3 relevant.
    const r = rankQuery(new Float32Array(9).fill(0.5), [0, 4, 8], [1, 5]);
    expect(r.firstRank).toBe(10 / 4);
    expect(r.hitAtK[0]).toBeCloseTo(3 / 9, 12);
    // P(none of 3 in the first 5 of 9) = C(6, 5) / C(9, 5) = 6 / 126.
    expect(r.hitAtK[1]).toBeCloseTo(1 - 6 / 126, 12);
    expect(r.relevantAtK[1]).toBeCloseTo((5 * 3) / 9, 12);
  });

  it('matches the average over every tie-breaking, on small galleries with ties', () => {
    const rng = new SeededRandom(7);
    const ks = [1, 2, 3, 5];
    for (let trial = 0; trial < 40; trial++) {
      const n = 3 + rng.int(5); // 3..7 items, scores from 3 levels: many ties
      const scores = Array.from({ length: n }, () => rng.int(3) / 2);
      const relevant = [...Array(n).keys()].filter(() => rng.next() < 0.4);
      if (relevant.length === 0) relevant.push(rng.int(n));
      const got = rankQuery(Float32Array.from(scores), relevant, ks);
      const want = bruteForce(scores, relevant, ks);
      expect(got.firstRank).toBeCloseTo(want.firstRank, 10);
      expect(got.averagePrecision).toBeCloseTo(want.averagePrecision, 10);
      ks.forEach((_, j) => {
        expect(got.hitAtK[j]).toBeCloseTo(want.hitAtK[j] as number, 10);
        expect(got.relevantAtK[j]).toBeCloseTo(want.relevantAtK[j] as number, 10);
      });
    }
  });
});

describe('keyedRetrievalMetrics', () => {
  // Gallery on the unit circle at 0°, 90°, 180°, 270°: keys a, b, a, c.
  const gallery = Float32Array.from([1, 0, 0, 1, -1, 0, 0, -1]);
  const galleryKeys = ['a', 'b', 'a', 'c'];
  // Query 0 near 10° (order 0°, 90°, 270°, 180°), query 1 near 100° (90°, 180°, 0°, 270°).
  const queries = Float32Array.from([
    Math.cos(0.17),
    Math.sin(0.17),
    Math.cos(1.75),
    Math.sin(1.75),
  ]);

  it('counts every item with the query key relevant, as computed by hand', () => {
    const s = keyedRetrievalMetrics({
      queries,
      gallery,
      dim: 2,
      relevance: { queryKeys: ['a', 'a'], galleryKeys },
      ks: [1, 2],
    });
    // Query 0: a at 1 and 4 → AP (1 + 2/4) / 2; query 1: a at 2 and 3 → AP (1/2 + 2/3) / 2.
    expect(s.recallAtK[1]).toBe(0.5);
    expect(s.recallAtK[2]).toBe(1);
    expect(s.meanAveragePrecision).toBeCloseTo((0.75 + 7 / 12) / 2, 6);
    expect(s.medianRank).toBe(1.5);
    expect(s.precisionAtK[2]).toBeCloseTo((1 / 2 + 1 / 2) / 2, 6);
    expect(s).toMatchObject({ queries: 2, gallery: 4, evaluatedQueries: 2, excludedQueries: 0 });
  });

  it('leaves out and counts queries with no relevant item or no key', () => {
    const s = keyedRetrievalMetrics({
      queries: Float32Array.from([...queries, 1, 0]),
      gallery,
      dim: 2,
      relevance: { queryKeys: ['c', 'z', undefined], galleryKeys },
      ks: [1],
    });
    // Only query 0 (key c, at 270°: third from 10°) counts.
    expect(s.evaluatedQueries).toBe(1);
    expect(s.excludedQueries).toBe(2);
    expect(s.medianRank).toBe(3);
    expect(s.meanAveragePrecision).toBeCloseTo(1 / 3, 6);
  });

  it('gives NaN scores, not an error, when no query has a relevant item', () => {
    const s = keyedRetrievalMetrics({
      queries,
      gallery,
      dim: 2,
      relevance: { queryKeys: ['z', 'z'], galleryKeys },
    });
    expect(s.evaluatedQueries).toBe(0);
    expect(s.excludedQueries).toBe(2);
    expect(s.medianRank).toBeNaN();
    expect(s.recallAtK[1]).toBeNaN();
  });

  it('gives identical gallery codes the expected rank, never the best', () => {
    // Two queries; the gallery is four copies of one code, one of them relevant to each query.
    const s = keyedRetrievalMetrics({
      queries: Float32Array.from([1, 0, 0, 1]),
      gallery: new Float32Array(8).fill(1),
      dim: 2,
      relevance: { queryKeys: [0, 1], galleryKeys: [0, 1, 2, 3] },
      ks: [1, 4],
    });
    expect(s.medianRank).toBe(2.5);
    expect(s.recallAtK[1]).toBe(0.25);
    expect(s.recallAtK[4]).toBe(1);
    // A ranking that tells nothing apart is chance, and says so.
    expect(s.chance).toEqual({
      recallAtK: s.recallAtK,
      precisionAtK: s.precisionAtK,
      meanAveragePrecision: s.meanAveragePrecision,
      medianRank: s.medianRank,
      meanRank: s.meanRank,
    });
  });

  it('reports what chance reaches with the same queries and gallery', () => {
    const s = keyedRetrievalMetrics({
      queries,
      gallery,
      dim: 2,
      relevance: { queryKeys: ['a', 'c'], galleryKeys },
      ks: [1],
    });
    // Query a: 2 relevant of 4, first rank (4 + 1) / 3; query c: 1 of 4, rank 5 / 2.
    expect(s.chance.recallAtK[1]).toBeCloseTo((2 / 4 + 1 / 4) / 2, 10);
    expect(s.chance.medianRank).toBeCloseTo((5 / 3 + 5 / 2) / 2, 10);
    // AP of 1 relevant among 4 tied: the mean of 1/1, 1/2, 1/3, 1/4.
    const apOne = (1 + 1 / 2 + 1 / 3 + 1 / 4) / 4;
    const apTwo = rankQuery(new Float32Array(4), [0, 2], [1]).averagePrecision;
    expect(s.chance.meanAveragePrecision).toBeCloseTo((apOne + apTwo) / 2, 10);
  });

  it('takes a relevance predicate and agrees with the same relevance as keys', () => {
    const keys = keyedRetrievalMetrics({
      queries,
      gallery,
      dim: 2,
      relevance: { queryKeys: ['a', 'b'], galleryKeys },
    });
    const predicate = keyedRetrievalMetrics({
      queries,
      gallery,
      dim: 2,
      relevance: (q, g) => galleryKeys[g] === ['a', 'b'][q],
    });
    expect(predicate).toEqual(keys);
  });

  it('matches paired instance-level retrieval when each query has exactly one relevant item', () => {
    const rng = new SeededRandom(3);
    const dim = 5;
    const nq = 31;
    const ng = 41;
    const galleryCodes = Float32Array.from({ length: ng * dim }, () => rng.normal());
    const pairs = Int32Array.from({ length: nq }, () => rng.int(ng));
    const queryCodes = Float32Array.from(
      { length: nq * dim },
      (_, i) =>
        (galleryCodes[(pairs[Math.floor(i / dim)] as number) * dim + (i % dim)] as number) +
        rng.normal(),
    );
    const before = tf.memory().numTensors;
    const keyed = keyedRetrievalMetrics({
      queries: queryCodes,
      gallery: galleryCodes,
      dim,
      relevance: { queryKeys: Array.from(pairs), galleryKeys: [...Array(ng).keys()] },
      maxScores: 100, // chunks of 2 queries
    });
    expect(tf.memory().numTensors).toBe(before);
    const paired = retrievalMetrics({
      queries: queryCodes,
      gallery: galleryCodes,
      dim,
      pairs,
    }).instanceLevel!;
    for (const k of [1, 5, 10]) expect(keyed.recallAtK[k]).toBeCloseTo(paired.recallAtK[k]!, 10);
    expect(keyed.meanAveragePrecision).toBeCloseTo(paired.meanAveragePrecision, 6);
    expect(keyed.medianRank).toBe(paired.medianRank);
  });

  it('rejects keys of the wrong length and bad cut-offs, naming the field', () => {
    const base = { queries, gallery, dim: 2 };
    expect(() =>
      keyedRetrievalMetrics({ ...base, relevance: { queryKeys: ['a'], galleryKeys } }),
    ).toThrow(/queryKeys has 1 entries for 2 rows/);
    expect(() =>
      keyedRetrievalMetrics({
        ...base,
        relevance: { queryKeys: ['a', 'a'], galleryKeys: ['a'] },
      }),
    ).toThrow(/galleryKeys has 1 entries for 4 rows/);
    expect(() => keyedRetrievalMetrics({ ...base, relevance: () => true, ks: [0] })).toThrow(
      UsageError,
    );
  });
});
