import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { DecodedValue, RawSplit } from '../../../src/data/contract.js';
import type { DecodedImage } from '../../../plugins/image/decoded-image.js';
import { ConfigError, DataError } from '../../../src/errors/errors.js';
import { loadMnistArrays, mnistAdapter } from '../../../datasets/mnist/index.js';

const context = { seed: 42, baseDir: process.cwd() };
const load = (options: object) =>
  mnistAdapter.load(mnistAdapter.optionsSchema.parse(options), context);

function labelsOf(split: RawSplit): number[] {
  return Array.from({ length: split.size }, (_, i) => split.sample(i).label!);
}

describe('MNIST arrays', () => {
  it('reads 60k train and 10k test images of 28×28 with the known first labels', async () => {
    const { train, test } = await loadMnistArrays();
    expect(train.count).toBe(60_000);
    expect(test.count).toBe(10_000);
    expect([train.rows, train.cols]).toEqual([28, 28]);
    expect(train.images.length).toBe(60_000 * 784);
    expect([...train.labels.subarray(0, 5)]).toEqual([5, 0, 4, 1, 9]);
    expect(test.labels[0]).toBe(7);
  });
});

describe('mnist adapter', () => {
  it('splits 55k/5k/10k by default with image views into the IDX buffer', async () => {
    const dataset = await load({});
    expect(dataset.id).toBe('mnist');
    expect(dataset.modalities).toEqual(['image']);
    expect(dataset.classes).toEqual([
      'zero',
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
      'seven',
      'eight',
      'nine',
    ]);
    expect([dataset.train.size, dataset.validation.size, dataset.test.size]).toEqual([
      55_000, 5_000, 10_000,
    ]);
    const first = dataset.test.sample(0);
    expect(first.id).toBe('mnist/test/0');
    expect(first.label).toBe(7);
    const raw = first.values.image as DecodedValue;
    expect(raw).toMatchObject({ kind: 'decoded', value: { width: 28, height: 28, channels: 1 } });
    const image = raw.value as DecodedImage;
    const arrays = await loadMnistArrays();
    expect(image.data.buffer).toBe(arrays.test.images.buffer);
    expect(image.data.byteOffset).toBe(arrays.test.images.byteOffset);
  });

  it('carves validation deterministically from the seed, disjoint from train', async () => {
    const a = await load({ trainLimit: 3000 });
    const b = await load({ trainLimit: 3000 });
    const ids = (s: RawSplit) => Array.from({ length: s.size }, (_, i) => s.sample(i).id);
    expect(ids(a.validation)).toEqual(ids(b.validation));
    expect(ids(a.train)).toEqual(ids(b.train));
    const other = await mnistAdapter.load(mnistAdapter.optionsSchema.parse({}), {
      ...context,
      seed: 7,
    });
    expect(ids(other.validation)).not.toEqual(ids(a.validation));
    const validation = new Set(ids(a.validation));
    expect(ids(a.train).some((id) => validation.has(id))).toBe(false);
  });

  it('subsamples train and test for quick runs', async () => {
    const dataset = await load({ trainLimit: 1000, testLimit: 200, validationSize: 100 });
    expect([dataset.train.size, dataset.validation.size, dataset.test.size]).toEqual([
      1000, 100, 200,
    ]);
    const counts = new Array(10).fill(0);
    for (const label of labelsOf(dataset.train)) counts[label]++;
    expect(Math.min(...counts)).toBeGreaterThan(50);
  });

  it('leaves excluded classes out of train and validation but keeps them in test', async () => {
    const dataset = await load({ excludeClasses: [3, 7] });
    expect(labelsOf(dataset.train).some((l) => l === 3 || l === 7)).toBe(false);
    expect(labelsOf(dataset.validation).some((l) => l === 3 || l === 7)).toBe(false);
    expect(labelsOf(dataset.test).filter((l) => l === 7).length).toBeGreaterThan(900);
    // It says so, for the evaluation's anomaly score; a dataset holding nothing out says nothing.
    expect(dataset.heldOutClasses).toEqual([3, 7]);
    expect((await load({})).heldOutClasses).toBeUndefined();
  });

  it('rejects bad options with a ConfigError or a schema error', async () => {
    await expect(load({ validationSize: 60_000 })).rejects.toThrow(ConfigError);
    expect(() => mnistAdapter.optionsSchema.parse({ excludeClasses: [10] })).toThrow();
    expect(() => mnistAdapter.optionsSchema.parse({ trainlimit: 5 })).toThrow();
  });

  it('reads a folder of gzip files and names the missing file of an incomplete folder', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmae-mnist-'));
    const idx = (magic: number, dims: number[], values: Uint8Array) => {
      const header = Buffer.alloc(4 + 4 * dims.length);
      header.writeUInt32BE(magic, 0);
      dims.forEach((d, i) => header.writeUInt32BE(d, 4 + 4 * i));
      return gzipSync(Buffer.concat([header, values]));
    };
    const pixels = new Uint8Array(4 * 28 * 28).map((_, i) => i % 256);
    writeFileSync(join(dir, 'train-images-idx3-ubyte.gz'), idx(0x803, [4, 28, 28], pixels));
    writeFileSync(
      join(dir, 'train-labels-idx1-ubyte.gz'),
      idx(0x801, [4], Uint8Array.from([1, 2, 3, 4])),
    );
    await expect(load({ dir, validationSize: 1 })).rejects.toThrow(/t10k-images-idx3-ubyte.*`dir`/);
    writeFileSync(
      join(dir, 't10k-images-idx3-ubyte.gz'),
      idx(0x803, [2, 28, 28], pixels.subarray(0, 2 * 784)),
    );
    writeFileSync(
      join(dir, 't10k-labels-idx1-ubyte.gz'),
      idx(0x801, [3], Uint8Array.from([0, 1, 2])),
    );
    await expect(load({ dir, validationSize: 1 })).rejects.toThrow(/3 labels but .* 2 images/);
    writeFileSync(join(dir, 't10k-labels-idx1-ubyte.gz'), idx(0x801, [2], Uint8Array.from([9, 8])));
    const dataset = await load({ dir, validationSize: 1 });
    expect([dataset.train.size, dataset.validation.size, dataset.test.size]).toEqual([3, 1, 2]);
    expect(dataset.test.sample(1).label).toBe(8);
    await expect(load({ dir: join(dir, 'nope') })).rejects.toBeInstanceOf(DataError);
  });
});
