import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/errors.js';
import { ApproximateIndex, ExactIndex } from '../../src/search/index.js';
import { InProcessVectorStore } from '../../src/search/in-process-store.js';
import { useBackend } from '../support/backend.js';
import { bruteForce, randomVectors } from './random-vectors.js';

const DIMS = 8;
const ROWS = 300;
const gallery = randomVectors(ROWS, DIMS, 11);
const queries = randomVectors(5, DIMS, 12);
const ids = Array.from({ length: ROWS }, (_, i) => `item-${i}`);
const labels = Array.from({ length: ROWS }, (_, i) => i % 10);
const metadata = ids.map((_, i) => ({
  source: i % 3 === 0 ? 'noto' : 'twemoji',
  even: i % 2 === 0,
}));

beforeAll(async () => {
  await useBackend('cpu');
});

async function filledStore(metric: 'cosine' | 'euclidean'): Promise<InProcessVectorStore> {
  const store = InProcessVectorStore.create({ dims: DIMS, metric });
  // Two batches, so the lazily built index is rebuilt after the second.
  await store.addBatch(
    ids.slice(0, 100),
    gallery.subarray(0, 100 * DIMS),
    labels.slice(0, 100),
    metadata.slice(0, 100),
  );
  await store.search(queries, 3);
  await store.addBatch(
    ids.slice(100),
    gallery.subarray(100 * DIMS),
    labels.slice(100),
    metadata.slice(100),
  );
  return store;
}

describe('the in-process vector store', () => {
  for (const metric of ['cosine', 'euclidean'] as const) {
    it(`answers ${metric} searches as a brute-force ranking of every row added`, async () => {
      const store = await filledStore(metric);
      const hits = await store.search(queries, 10);
      hits.forEach((row, q) => {
        const ref = bruteForce(
          gallery,
          queries.subarray(q * DIMS, (q + 1) * DIMS),
          DIMS,
          metric,
          10,
        );
        expect(row.map((h) => h.id)).toEqual(ref.map((r) => ids[r.index]));
        row.forEach((h, i) => expect(h.distance).toBeCloseTo(ref[i]!.distance, 4));
        row.forEach((h) => expect(h.label).toBe(labels[Number(h.id.slice(5))]));
      });
      await store.close();
    });
  }

  it('searches the other metric by an exact scan of the rows it keeps', async () => {
    const store = await filledStore('cosine');
    const [row] = await store.search(queries.subarray(0, DIMS), 5, { metric: 'euclidean' });
    const ref = bruteForce(gallery, queries.subarray(0, DIMS), DIMS, 'euclidean', 5);
    expect(row!.map((h) => h.id)).toEqual(ref.map((r) => ids[r.index]));
    await store.close();
  });

  it('filters by label and by metadata before ranking, so k rows pass the filter', async () => {
    const store = await filledStore('cosine');
    const filter = { labels: [3, 7], metadata: { source: 'noto', even: false } };
    const passes = (i: number) =>
      (labels[i] === 3 || labels[i] === 7) && metadata[i]!.source === 'noto' && !metadata[i]!.even;
    const kept = ids.map((_, i) => i).filter(passes);
    expect(await store.count(filter)).toBe(kept.length);
    const subset = new Float32Array(kept.length * DIMS);
    kept.forEach((r, i) => subset.set(gallery.subarray(r * DIMS, (r + 1) * DIMS), i * DIMS));
    const hits = await store.search(queries, 4, { filter });
    hits.forEach((row, q) => {
      const ref = bruteForce(subset, queries.subarray(q * DIMS, (q + 1) * DIMS), DIMS, 'cosine', 4);
      expect(row.map((h) => h.id)).toEqual(ref.map((r) => ids[kept[r.index]!]));
    });
    // A filter that passes fewer rows than k returns those rows, not an error.
    const few = await store.search(queries, 50, { filter });
    expect(few[0]).toHaveLength(kept.length);
    await store.close();
  });

  it('skips ids it already holds, so a repeated batch adds nothing', async () => {
    const store = await filledStore('cosine');
    const again = await store.addBatch(ids.slice(0, 20), gallery.subarray(0, 20 * DIMS));
    expect(again).toEqual({ added: 0, skipped: 20 });
    expect(await store.count()).toBe(ROWS);
    await store.close();
  });

  it('answers exactly as the exact index it wraps, with no tensor left behind', async () => {
    await useBackend('wasm');
    const index = ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS, ids, labels });
    const expected = index.search(queries, 10);
    // The index's gallery tensor exists from its first search on; nothing is added after it.
    const before = tf.memory().numTensors;
    const store = InProcessVectorStore.fromIndex(index);
    for (let i = 0; i < 3; i++) {
      const hits = await store.search(queries, 10);
      expect(hits).toEqual(
        expected.map((row) => row.map(({ id, label, distance }) => ({ id, label, distance }))),
      );
      await store.search(queries, 10, { filter: { labels: [1] } });
      await store.search(queries, 10, { exact: true });
      expect(tf.memory().numTensors).toBe(before);
    }
    await store.close();
    expect(tf.memory().numTensors).toBe(before - 1);
    await useBackend('cpu');
  });

  it('filters inside a wrapped HNSW graph and refuses what the graph cannot answer', async () => {
    const graph = ApproximateIndex.build(gallery, {
      metric: 'cosine',
      dims: DIMS,
      ids,
      labels,
      efSearch: 300,
    });
    const store = InProcessVectorStore.fromIndex(graph);
    const hits = await store.search(queries, 5, { filter: { labels: [4] } });
    for (const row of hits) {
      expect(row).toHaveLength(5);
      for (const h of row) expect(h.label).toBe(4);
    }
    await expect(store.search(queries, 5, { exact: true })).rejects.toThrow(/keeps no vectors/);
    await expect(store.search(queries, 5, { metric: 'euclidean' })).rejects.toThrow(
      /indexed for cosine/,
    );
    await expect(store.addBatch(['x'], new Float32Array(DIMS))).rejects.toThrow(UsageError);
    await store.close();
  });

  it('refuses malformed input with one line naming the argument', async () => {
    const store = InProcessVectorStore.create({ dims: DIMS, metric: 'cosine' });
    await expect(store.addBatch(['a', 'a'], new Float32Array(2 * DIMS))).rejects.toThrow(
      /appears twice/,
    );
    await expect(store.addBatch(['a'], new Float32Array(DIMS + 1))).rejects.toThrow(UsageError);
    await expect(store.addBatch(['a'], new Float32Array(DIMS), [1.5])).rejects.toThrow(
      /32-bit integers/,
    );
    await expect(
      store.addBatch(['a'], new Float32Array(DIMS), [1], [{ nested: {} as unknown as string }]),
    ).rejects.toThrow(/metadata "nested"/);
    await store.addBatch(
      ['a'],
      Float32Array.from({ length: DIMS }, () => 1),
    );
    await expect(store.search(queries, 2)).rejects.toThrow(/larger than/);
    await expect(store.search(queries, 1, { filter: { label: 3 } as never })).rejects.toThrow(
      /unknown field "label"/,
    );
    await expect(store.search(queries, 1, { efSearch: 0 })).rejects.toThrow(/efSearch/);
    await store.drop();
    await expect(store.count()).rejects.toThrow(/closed or dropped/);
  });
});
