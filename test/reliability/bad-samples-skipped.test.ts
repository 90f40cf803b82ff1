/**
 * onBadSample: a split holding broken files either fails once, listing every bad sample, or
 * (with 'skip') trains on the good rows and counts the dropped ones.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RawSample, RawSplit } from '../../src/data/contract.js';
import { prepareFeatures } from '../../src/data/prepare-features.js';
import { DataError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { imagePlugin } from '../../plugins/image/index.js';
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

describe('training from a manifest with broken image files', () => {
  let dir: TempDir;
  let configPath: string;
  beforeAll(async () => {
    dir = await makeTempDir();
    const png = await validPng();
    const rows = ['image,label'];
    for (let i = 0; i < 40; i++) {
      await dir.write(`img-${i}.png`, png);
      rows.push(`img-${i}.png,${i % 10}`);
    }
    await dir.write('zero.png', new Uint8Array(0));
    await dir.write('cut.png', png.subarray(0, png.length - 25));
    rows.push('zero.png,0', 'cut.png,1');
    await dir.write('data.csv', `${rows.join('\n')}\n`);
    const config = (onBadSample: string) => `name: skip-test
seed: 5
backend: wasm
onBadSample: ${onBadSample}
dataset: { id: manifest, options: { path: data.csv, validationSize: 0, testSize: 0 } }
modalities:
  - id: image
    options: { hiddenSizes: [16], likelihood: gaussian }
model: { latentSize: 4 }
training: { epochs: 1, batchSize: 10 }
`;
    configPath = await dir.write('skip.yaml', config('skip'));
    await dir.write('fail.yaml', config('fail'));
  });
  afterAll(() => dir.remove());

  it('with onBadSample: skip, trains on the good rows and logs how many were skipped', async () => {
    const lines: string[] = [];
    const result = await trainJob({
      config: configPath,
      out: `${dir.dir}/run`,
      quiet: true,
      log: (line) => lines.push(line),
    });
    result.model.dispose();
    expect(result.result.state.epoch).toBe(1);
    expect(lines).toContain('skipped 2 bad samples in all');
    expect(lines.some((l) => l.includes('zero.png') && l.startsWith('skipped'))).toBe(true);
    expect(lines.some((l) => l.includes('cut.png') && l.startsWith('skipped'))).toBe(true);
  });

  it('with onBadSample: fail, refuses to train and names both files and the option', async () => {
    await expectMmaeError(
      () =>
        trainJob({
          config: `${dir.dir}/fail.yaml`,
          out: `${dir.dir}/run-fail`,
          quiet: true,
          log: () => undefined,
        }),
      DataError,
      ['2 of 42 samples', 'zero.png', 'cut.png', "onBadSample: 'skip'"],
    );
  });
});
