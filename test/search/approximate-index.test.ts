import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError, UsageError } from '../../src/errors/errors.js';
import {
  ApproximateIndex,
  ExactIndex,
  loadApproximateIndex,
  loadExactIndex,
  recallAgainstExact,
  saveApproximateIndex,
} from '../../src/search/index.js';
import { randomVectors } from './random-vectors.js';
import { payloadPath } from './saved-index.js';

const DIMS = 32;
const gallery = randomVectors(5000, DIMS, 11);
const queries = randomVectors(200, DIMS, 12);

describe('ApproximateIndex (HNSW)', () => {
  for (const metric of ['euclidean', 'cosine'] as const) {
    it(`reaches recall@10 of at least 0.95 on 5k random ${metric} vectors`, () => {
      const approx = ApproximateIndex.build(gallery, { metric, dims: DIMS, efSearch: 100 });
      const exact = ExactIndex.build(gallery, { metric, dims: DIMS, strategy: 'scan' });
      expect(recallAgainstExact(approx, exact, queries, 10)).toBeGreaterThanOrEqual(0.95);
    });
  }

  it('reports distances on the same scale as the exact index', () => {
    const approx = ApproximateIndex.build(gallery.subarray(0, 300 * DIMS), {
      metric: 'euclidean',
      dims: DIMS,
    });
    const exact = ExactIndex.build(gallery.subarray(0, 300 * DIMS), {
      metric: 'euclidean',
      dims: DIMS,
    });
    const [a] = approx.search(queries.subarray(0, DIMS), 1);
    const [e] = exact.search(queries.subarray(0, DIMS), 1);
    expect(a![0]!.index).toBe(e![0]!.index);
    expect(a![0]!.distance).toBeCloseTo(e![0]!.distance, 3);
  });

  it('builds the same graph twice from the same seed', () => {
    const small = gallery.subarray(0, 1000 * DIMS);
    const options = {
      metric: 'cosine' as const,
      dims: DIMS,
      M: 8,
      efConstruction: 50,
      efSearch: 10,
    };
    const a = ApproximateIndex.build(small, options).search(queries, 10);
    const b = ApproximateIndex.build(small, options).search(queries, 10);
    expect(a).toEqual(b);
  });

  it('refuses k larger than the gallery, an empty gallery and a dimension mismatch', () => {
    const small = ApproximateIndex.build(
      [
        [1, 2],
        [3, 4],
      ],
      { metric: 'euclidean' },
    );
    expect(() => small.search([[1, 2]], 3)).toThrow(UsageError);
    expect(() => small.search([[1, 2]], 3)).toThrow(/k: 3 .*2 items/);
    expect(() => small.search([[1, 2, 3]], 1)).toThrow(/3 dims but the index has 2/);
    expect(() => ApproximateIndex.build([], { metric: 'cosine' })).toThrow(/gallery is empty/);
    expect(() => ApproximateIndex.build([[1, 2]], { metric: 'cosine', M: 0 })).toThrow(/M: 0/);
  });
});

describe('saving and loading an ApproximateIndex', () => {
  let dir: string;
  const small = gallery.subarray(0, 1000 * DIMS);
  const labels = Array.from({ length: 1000 }, (_, i) => i % 10);
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmae-hnsw-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the same hits and options after a round trip', async () => {
    const index = ApproximateIndex.build(small, {
      metric: 'cosine',
      dims: DIMS,
      labels,
      efSearch: 30,
    });
    await saveApproximateIndex(index, join(dir, 'ok'));
    const loaded = await loadApproximateIndex(join(dir, 'ok'), { dims: DIMS, metric: 'cosine' });
    expect(loaded.efSearch).toBe(30);
    expect(loaded.hnsw).toEqual(index.hnsw);
    expect(loaded.search(queries, 5)).toEqual(index.search(queries, 5));
  });

  it('refuses a graph file with a flipped byte before hnswlib reads it', async () => {
    const index = ApproximateIndex.build(small, { metric: 'euclidean', dims: DIMS });
    await saveApproximateIndex(index, join(dir, 'tampered'));
    const path = await payloadPath(join(dir, 'tampered'));
    const bin = await readFile(path);
    bin[100] = (bin[100] as number) ^ 0xff;
    await writeFile(path, bin);
    await expect(loadApproximateIndex(join(dir, 'tampered'))).rejects.toThrow(RunError);
    await expect(loadApproximateIndex(join(dir, 'tampered'))).rejects.toThrow(/checksum mismatch/);
  });

  it('refuses to load an approximate index as an exact one', async () => {
    const index = ApproximateIndex.build(small, { metric: 'euclidean', dims: DIMS });
    await saveApproximateIndex(index, join(dir, 'kind'));
    await expect(loadExactIndex(join(dir, 'kind'))).rejects.toThrow(/field 'format' is invalid/);
  });
});
