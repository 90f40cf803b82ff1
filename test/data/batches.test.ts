import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Batch, FeatureTable } from '../../src/data/contract.js';
import {
  batchCount,
  epochOrder,
  iterateBatches,
  iterateBatchesAsync,
} from '../../src/data/batches.js';
import { useBackend } from '../support/backend.js';

/** 23 rows; image row r = [r, r+0.5], present except every 4th row; tokens row r = [r, r + 100]. */
function makeTable(size = 23): FeatureTable {
  const image = new Float32Array(size * 2);
  const tokens = new Int32Array(size * 2);
  const imagePresent = new Uint8Array(size);
  for (let r = 0; r < size; r++) {
    imagePresent[r] = r % 4 === 0 ? 0 : 1;
    if (imagePresent[r]) image.set([r, r + 0.5], r * 2);
    tokens.set([r, r + 100], r * 2);
  }
  return {
    size,
    labels: Int32Array.from({ length: size }, (_, r) => r % 10),
    ids: Array.from({ length: size }, (_, r) => `row${r}`),
    columns: {
      image: { shape: [2, 1], dtype: 'float32', data: image, present: imagePresent },
      tokens: { shape: [2], dtype: 'int32', data: tokens, present: new Uint8Array(size).fill(1) },
    },
  };
}

beforeAll(async () => {
  await useBackend('cpu');
});

describe('epochOrder', () => {
  it('is a permutation fixed by seed and epoch, different across epochs', () => {
    const a = epochOrder(100, 3, 0);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(epochOrder(100, 3, 0)).toEqual(a);
    expect([...epochOrder(100, 3, 1)]).not.toEqual([...a]);
    expect([...epochOrder(100, 4, 0)]).not.toEqual([...a]);
  });
});

describe('iterateBatches', () => {
  it('covers every row exactly once per epoch with the rows own features', () => {
    const table = makeTable();
    const seen: number[] = [];
    let batches = 0;
    for (const batch of iterateBatches(table, { batchSize: 5, seed: 1, epoch: 2 })) {
      batches++;
      const image = batch.inputs.image!.features.arraySync() as number[][][];
      const present = batch.inputs.image!.present.arraySync();
      const tokens = batch.inputs.tokens!.features.arraySync() as number[][];
      expect(batch.inputs.image!.features.shape).toEqual([batch.size, 2, 1]);
      expect(batch.inputs.tokens!.features.dtype).toBe('int32');
      batch.indices.forEach((row, b) => {
        seen.push(row);
        expect(tokens[b]).toEqual([row, row + 100]);
        expect(present[b]).toBe(row % 4 === 0 ? 0 : 1);
        expect(image[b]).toEqual(row % 4 === 0 ? [[0], [0]] : [[row], [row + 0.5]]);
        expect(batch.labels[b]).toBe(row % 10);
      });
      batch.dispose();
    }
    expect(batches).toBe(batchCount(23, 5));
    expect(seen).toEqual([...epochOrder(23, 1, 2)]);
    expect([...seen].sort((x, y) => x - y)).toEqual(Array.from({ length: 23 }, (_, i) => i));
  });

  it('keeps the tensor count flat across epochs when batches are disposed', () => {
    const table = makeTable();
    const before = tf.memory().numTensors;
    for (let epoch = 0; epoch < 3; epoch++) {
      for (const batch of iterateBatches(table, { batchSize: 4, seed: 9, epoch })) {
        batch.dispose();
        batch.dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('never lets a reused array change a batch whose tensors are still alive', () => {
    const table = makeTable();
    const kept: number[][] = [];
    const views: tf.Tensor[] = [];
    for (const batch of iterateBatches(table, { batchSize: 4, shuffle: false })) {
      // A reshape shares storage on the cpu backend and outlives the batch.
      views.push(batch.inputs.tokens!.features.reshape([-1]));
      kept.push([...batch.indices]);
      batch.dispose();
    }
    views.forEach((view, k) => {
      const expected = kept[k]!.flatMap((row) => [row, row + 100]);
      expect([...view.dataSync()]).toEqual(expected);
      view.dispose();
    });
  });

  it('drops the short last batch on request and follows file order without shuffle', () => {
    const table = makeTable();
    const sizes: number[] = [];
    const firstRows: number[] = [];
    for (const batch of iterateBatches(table, { batchSize: 5, shuffle: false, dropLast: true })) {
      sizes.push(batch.size);
      firstRows.push(batch.indices[0]!);
      batch.dispose();
    }
    expect(sizes).toEqual([5, 5, 5, 5]);
    expect(firstRows).toEqual([0, 5, 10, 15]);
  });

  it('builds only the modalities asked for and names a missing one', () => {
    const table = makeTable();
    const [batch] = iterateBatches(table, { batchSize: 30, modalities: ['tokens'] });
    expect(Object.keys(batch!.inputs)).toEqual(['tokens']);
    batch!.dispose();
    expect(() => [...iterateBatches(table, { batchSize: 3, modalities: ['audio'] })]).toThrow(
      /'audio'.*image, tokens/,
    );
    expect(() => [...iterateBatches(table, { batchSize: 0 })]).toThrow(/batchSize/);
  });
});

describe('iterateBatchesAsync', () => {
  it('yields the same batches as the sync iterator, with or without prefetch', async () => {
    const table = makeTable();
    const expected = [...iterateBatches(table, { batchSize: 6, seed: 5, epoch: 1 })].map((b) => {
      const rows = [...(b.inputs.image!.features.dataSync() as Float32Array)];
      b.dispose();
      return rows;
    });
    const before = tf.memory().numTensors;
    for (const prefetch of [true, false]) {
      const got: number[][] = [];
      for await (const batch of iterateBatchesAsync(table, {
        batchSize: 6,
        seed: 5,
        epoch: 1,
        prefetch,
      })) {
        got.push([...(batch.inputs.image!.features.dataSync() as Float32Array)]);
        batch.dispose();
      }
      expect(got).toEqual(expected);
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  it('prefetches where setImmediate is absent, as in a browser, with the same batches', async () => {
    const table = makeTable();
    const rowsOf = async (batches: AsyncIterable<Batch> | Iterable<Batch>) => {
      const out: number[][] = [];
      for await (const b of batches) {
        out.push([...(b.inputs.image!.features.dataSync() as Float32Array)]);
        b.dispose();
      }
      return out;
    };
    const expected = await rowsOf(iterateBatches(table, { batchSize: 6, seed: 5, epoch: 1 }));
    const immediate = globalThis.setImmediate;
    Reflect.deleteProperty(globalThis, 'setImmediate');
    try {
      expect(globalThis.setImmediate).toBeUndefined();
      const options = { batchSize: 6, seed: 5, epoch: 1, prefetch: true };
      expect(await rowsOf(iterateBatchesAsync(table, options))).toEqual(expected);
    } finally {
      globalThis.setImmediate = immediate;
    }
  });
});
