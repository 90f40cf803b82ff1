/**
 * onBadSample: a split holding broken files either fails once, listing every bad sample, or
 * (with 'skip') trains on the good rows and counts the dropped ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawSample, RawSplit } from '../../src/data/contract.js';
import { prepareFeatures } from '../../src/data/prepare-features.js';
import { DataError } from '../../src/errors/errors.js';
import { imagePlugin } from '../../plugins/image/plugin.js';
import { expectMmaeError, makeTempDir, validPng, type TempDir } from './corpus.js';

let temp: TempDir;
let split: RawSplit;
beforeAll(async () => {
  temp = await makeTempDir();
  const png = await validPng();
  const files: Record<string, Uint8Array> = {
    'good-0.png': png,
    'zero.png': new Uint8Array(0),
    'good-1.png': png,
    'truncated.png': png.subarray(0, png.length - 30),
    'good-2.png': png,
    'noise.png': Uint8Array.from({ length: 300 }, (_, i) => (i * 73) % 256),
  };
  const samples: RawSample[] = [];
  for (const [name, bytes] of Object.entries(files)) {
    samples.push({
      id: name,
      label: samples.length,
      values: { image: { kind: 'file', path: await temp.write(name, bytes) } },
    });
  }
  samples.push({
    id: 'missing.png',
    values: { image: { kind: 'file', path: `${temp.dir}/missing.png` } },
  });
  split = { size: samples.length, sample: (i) => samples[i] as RawSample };
});
afterAll(() => temp.remove());

const instances = { image: imagePlugin.create(imagePlugin.optionsSchema.parse({}), {}) };

describe('bad samples in a split', () => {
  it("with onBadSample 'fail', throws one DataError listing every bad file and naming the option", async () => {
    const error = await expectMmaeError(
      () => prepareFeatures(split, instances, { onBadSample: 'fail' }),
      DataError,
      [
        '4 of 7 samples',
        'zero.png',
        'truncated.png',
        'noise.png',
        'missing.png',
        "onBadSample: 'skip'",
      ],
    );
    expect(error.message).not.toContain('good-');
  });

  it("with onBadSample 'skip', keeps the good rows in order and counts the skipped ones", async () => {
    const { table, skipped } = await prepareFeatures(split, instances, { onBadSample: 'skip' });
    expect(table.size).toBe(3);
    expect(table.ids).toEqual(['good-0.png', 'good-1.png', 'good-2.png']);
    expect(Array.from(table.labels)).toEqual([0, 2, 4]);
    expect(table.columns.image?.data.length).toBe(3 * 784);
    expect(skipped.map((s) => s.id)).toEqual([
      'zero.png',
      'truncated.png',
      'noise.png',
      'missing.png',
    ]);
    for (const s of skipped) expect(s.message).toContain(s.id);
  });
});
