import { describe, expect, it } from 'vitest';
import type { RawSample, RawValue } from '../../src/data/contract.js';
import type { ModalityInstance } from '../../src/modality/contract.js';
import { DataError, ShapeError } from '../../src/errors/errors.js';
import { arraySplit, lazySplit } from '../../src/data/splits.js';
import { prepareFeatures } from '../../src/data/prepare-features.js';

/** A modality that turns text "a,b,c" into [a, b, c] and rejects text starting with "bad". */
function fakeInstance(
  id: string,
  length: number,
  dtype: 'float32' | 'int32' = 'float32',
): ModalityInstance {
  const unused = (): never => {
    throw new Error('not used in these tests');
  };
  return {
    id,
    featureSpec: { shape: [length], dtype },
    async prepare(raw: RawValue, source: string) {
      if (raw.kind !== 'text' || typeof raw.text !== 'string') {
        throw new DataError(`${source}: expected text`);
      }
      if (raw.text.startsWith('bad')) throw new DataError(`${source}: cannot parse '${raw.text}'`);
      const numbers = raw.text.split(',').map(Number);
      return dtype === 'int32' ? Int32Array.from(numbers) : Float32Array.from(numbers);
    },
    buildEncoder: unused,
    buildDecoder: unused,
    reconstructionLoss: unused,
    outputToFeatures: unused,
    render: unused,
  };
}

const text = (t: string): RawValue => ({ kind: 'text', text: t });

const samples: RawSample[] = [
  { id: 'r0', label: 3, values: { a: text('1,2'), b: text('9') } },
  { id: 'r1', values: { a: text('3,4') } },
  { id: 'r2', label: 1, values: { b: text('bad value') } },
  { id: 'r3', label: 0, values: { a: text('5,6'), b: text('7'), c: text('ignored') } },
];

const instances = { a: fakeInstance('a', 2), b: fakeInstance('b', 1, 'int32') };

describe('prepareFeatures', () => {
  it('writes each modality into one row-major column with presence, zeros where missing', async () => {
    const good = samples.filter((s) => s.id !== 'r2');
    const { table, skipped } = await prepareFeatures(arraySplit(good), instances, {
      onBadSample: 'fail',
    });
    expect(skipped).toEqual([]);
    expect(table.size).toBe(3);
    expect(table.ids).toEqual(['r0', 'r1', 'r3']);
    expect([...table.labels]).toEqual([3, -1, 0]);
    expect(table.columns.a!.data).toBeInstanceOf(Float32Array);
    expect([...table.columns.a!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...table.columns.a!.present]).toEqual([1, 1, 1]);
    expect(table.columns.b!.data).toBeInstanceOf(Int32Array);
    expect([...table.columns.b!.data]).toEqual([9, 0, 7]);
    expect([...table.columns.b!.present]).toEqual([1, 0, 1]);
    expect(table.columns.b!.shape).toEqual([1]);
    expect(Object.keys(table.columns)).toEqual(['a', 'b']);
  });

  it("with 'skip' drops rows that failed and reports them", async () => {
    const { table, skipped } = await prepareFeatures(arraySplit(samples), instances, {
      onBadSample: 'skip',
    });
    expect(skipped).toEqual([{ id: 'r2', modality: 'b', message: "r2: cannot parse 'bad value'" }]);
    expect(table.size).toBe(3);
    expect(table.ids).toEqual(['r0', 'r1', 'r3']);
    expect([...table.labels]).toEqual([3, -1, 0]);
    expect([...table.columns.a!.data]).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...table.columns.b!.data]).toEqual([9, 0, 7]);
    expect([...table.columns.b!.present]).toEqual([1, 0, 1]);
  });

  it("with 'fail' collects every bad sample into one DataError listing the first 20", async () => {
    const many = lazySplit(50, (i) => ({
      id: `row${i}`,
      values: { a: text(i % 2 === 0 ? 'bad' : '1,1') },
    }));
    const error = await prepareFeatures(many, instances, { onBadSample: 'fail' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DataError);
    const message = (error as DataError).message;
    expect(message).toContain('25 of 50 samples could not be prepared');
    expect(message).toContain('row0 [a]');
    expect(message).toContain('row38 [a]');
    expect(message).not.toContain('row40 [a]');
    expect(message).toContain('and 5 more');
    expect(message).toContain("onBadSample: 'skip'");
  });

  it('gives a modality that no sample carries an empty column with present = 0', async () => {
    const { table } = await prepareFeatures(
      arraySplit([samples[1]!]),
      { ...instances, z: fakeInstance('z', 3) },
      { onBadSample: 'fail' },
    );
    expect([...table.columns.z!.data]).toEqual([0, 0, 0]);
    expect([...table.columns.z!.present]).toEqual([0]);
  });

  it('treats features of the wrong length as a plugin shape bug, not bad data', async () => {
    const split = arraySplit([{ id: 'x', values: { a: text('1,2,3') } }]);
    await expect(prepareFeatures(split, instances, { onBadSample: 'skip' })).rejects.toThrow(
      ShapeError,
    );
  });

  it('prepares 60k 784-pixel rows quickly enough for MNIST', async () => {
    const pixels = new Uint8Array(784).fill(255);
    const image: RawValue = {
      kind: 'decoded',
      value: { width: 28, height: 28, channels: 1, data: pixels },
    };
    const scaled: ModalityInstance = {
      ...fakeInstance('image', 784),
      async prepare(raw) {
        if (raw.kind !== 'decoded') throw new DataError('expected decoded pixels');
        const { data } = raw.value as { data: Uint8Array };
        const out = new Float32Array(data.length);
        for (let i = 0; i < out.length; i++) out[i] = (data[i] as number) / 255;
        return out;
      },
    };
    const split = lazySplit(60_000, (i) => ({ id: `mnist/train/${i}`, values: { image } }));
    const { table } = await prepareFeatures(split, { image: scaled }, { onBadSample: 'fail' });
    expect(table.size).toBe(60_000);
    expect(table.columns.image!.data.length).toBe(60_000 * 784);
    expect(table.columns.image!.data[59_999 * 784 + 783]).toBe(1);
  });
});
