import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/errors.js';
import { ExactIndex, type ExactStrategy } from '../../src/search/index.js';
import { useBackend } from '../support/backend.js';
import { bruteForce, randomVectors } from './random-vectors.js';

const DIMS = 16;
const gallery = randomVectors(500, DIMS, 1);
const queries = randomVectors(7, DIMS, 2);

function expectMatchesReference(
  index: ExactIndex,
  metric: 'cosine' | 'euclidean',
  k: number,
): void {
  const hits = index.search(queries, k);
  expect(hits).toHaveLength(7);
  hits.forEach((row, q) => {
    const ref = bruteForce(gallery, queries.subarray(q * DIMS, (q + 1) * DIMS), DIMS, metric, k);
    expect(row.map((h) => h.index)).toEqual(ref.map((r) => r.index));
    row.forEach((h, i) => expect(h.distance).toBeCloseTo(ref[i]!.distance, 3));
  });
}

for (const backend of ['cpu', 'wasm'] as const) {
  describe(`ExactIndex on the ${backend} backend`, () => {
    beforeAll(async () => {
      await useBackend(backend);
    });

    for (const metric of ['cosine', 'euclidean'] as const) {
      for (const strategy of ['tensor', 'scan'] as ExactStrategy[]) {
        it(`finds the same ${metric} neighbours as a brute-force reference with the ${strategy} path`, () => {
          const index = ExactIndex.build(gallery, { metric, dims: DIMS, strategy });
          expectMatchesReference(index, metric, 10);
          index.dispose();
        });
      }
    }

    it('keeps the tensor count flat across many searches and frees everything on dispose', () => {
      const before = tf.memory().numTensors;
      const index = ExactIndex.build(gallery, {
        metric: 'euclidean',
        dims: DIMS,
        strategy: 'tensor',
      });
      index.search(queries, 5);
      const afterFirst = tf.memory().numTensors;
      for (let i = 0; i < 20; i++) index.search(queries, 5);
      expect(tf.memory().numTensors).toBe(afterFirst);
      index.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });
  });
}

describe('ExactIndex items and input shapes', () => {
  afterAll(async () => {
    await useBackend('cpu');
  });

  it('returns the ids and labels of the gallery rows it finds', () => {
    const rows = [
      [1, 0],
      [0, 1],
      [-1, 0],
    ];
    const index = ExactIndex.build(rows, {
      metric: 'cosine',
      ids: ['east', 'north', 'west'],
      labels: [0, 1, 2],
    });
    const [hits] = index.search([[0.9, 0.1]], 2);
    expect(hits!.map((h) => [h.id, h.label])).toEqual([
      ['east', 0],
      ['north', 1],
    ]);
    expect(hits![0]!.distance).toBeCloseTo(1 - 0.9 / Math.hypot(0.9, 0.1), 5);
  });

  it('accepts a 2-D tensor as the gallery and as the queries', () => {
    const g = tf.tensor2d(gallery, [500, DIMS]);
    const q = tf.tensor2d(queries, [7, DIMS]);
    const fromTensor = ExactIndex.build(g, { metric: 'euclidean' }).search(q, 3);
    const fromArray = ExactIndex.build(gallery, { metric: 'euclidean', dims: DIMS }).search(
      queries,
      3,
    );
    expect(fromTensor.map((r) => r.map((h) => h.index))).toEqual(
      fromArray.map((r) => r.map((h) => h.index)),
    );
    g.dispose();
    q.dispose();
  });

  it('chooses the same neighbours with the auto strategy as with a forced path', () => {
    const auto = ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS });
    const scan = ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS, strategy: 'scan' });
    expect(auto.search(queries, 4).map((r) => r.map((h) => h.id))).toEqual(
      scan.search(queries, 4).map((r) => r.map((h) => h.id)),
    );
  });
});

describe('ExactIndex refuses bad requests with a UsageError naming the value', () => {
  const index = ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS });

  it('refuses k larger than the gallery', () => {
    expect(() => index.search(queries, 501)).toThrow(UsageError);
    expect(() => index.search(queries, 501)).toThrow(/k: 501 .*500 items/);
  });

  it('refuses k of zero', () => {
    expect(() => index.search(queries, 0)).toThrow(/k: 0/);
  });

  it('refuses an empty gallery', () => {
    expect(() => ExactIndex.build([], { metric: 'cosine' })).toThrow(UsageError);
    expect(() => ExactIndex.build(new Float32Array(0), { metric: 'cosine', dims: 4 })).toThrow(
      /gallery is empty/,
    );
  });

  it('refuses queries whose dimension differs from the gallery', () => {
    expect(() => index.search([[1, 2, 3]], 1)).toThrow(/3 dims but the index has 16/);
  });

  it('refuses a non-finite vector and names its row', () => {
    const bad = Float32Array.from(gallery);
    bad[3 * DIMS + 2] = Number.NaN;
    expect(() => ExactIndex.build(bad, { metric: 'euclidean', dims: DIMS })).toThrow(
      /row 3, column 2/,
    );
  });

  it('refuses an unknown metric and a wrong number of ids', () => {
    expect(() =>
      ExactIndex.build(gallery, { metric: 'manhattan' as 'cosine', dims: DIMS }),
    ).toThrow(/manhattan/);
    expect(() => ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS, ids: ['a'] })).toThrow(
      /1 ids for 500 vectors/,
    );
  });

  it('refuses to search after dispose', () => {
    const disposable = ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS });
    disposable.dispose();
    expect(() => disposable.search(queries, 1)).toThrow(/disposed/);
  });
});
