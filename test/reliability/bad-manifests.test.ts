/**
 * Manifests that a user gets wrong: every problem is found at load time, before training, and
 * reported in one DataError naming the manifest and the line.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors/errors.js';
import { manifestAdapter } from '../../datasets/manifest/index.js';
import { expectMmaeError, makeTempDir, validPng, type TempDir } from './corpus.js';

let temp: TempDir;
beforeEach(async () => {
  temp = await makeTempDir();
  await temp.write('a.png', await validPng());
  await temp.write('b.png', await validPng());
});
afterEach(() => temp.remove());

async function load(name: string, text: string, extra: Record<string, unknown> = {}) {
  await temp.write(name, text);
  const options = manifestAdapter.optionsSchema.parse({ path: name, ...extra });
  return manifestAdapter.load(options, { seed: 1, baseDir: temp.dir });
}

describe('a manifest with bad rows', () => {
  it('names the line of a missing file', async () => {
    const error = await expectMmaeError(
      () => load('m.csv', 'image,label\na.png,1\nmissing.png,2\n'),
      DataError,
      ['m.csv', 'm.csv:3', 'missing.png'],
    );
    expect(error.message).not.toContain('m.csv:2');
  });

  it('refuses absolute paths and paths that climb out of the dataset folder', async () => {
    const outside = `${temp.dir}/../elsewhere.png`;
    const error = await expectMmaeError(
      () => load('m.csv', `image\n/etc/passwd\n../../etc/passwd\nsub/../../x.png\n${outside}\n`),
      DataError,
      ['m.csv:2', 'absolute path', 'm.csv:3', "leads out of the manifest's folder", 'm.csv:4'],
    );
    expect(error.message).toContain('m.csv:5');
  });

  it('reports duplicate ids', async () => {
    await expectMmaeError(() => load('m.csv', 'id,image\nx,a.png\nx,b.png\n'), DataError, [
      'm.csv',
      "'x'",
    ]);
  });

  it('reports fields of the wrong type in JSON Lines, each with its line', async () => {
    const rows = [
      '{"image": 5}',
      '{"image": "a.png", "label": {"digit": 1}}',
      '{"image": "a.png", "split": "holdout"}',
      '[1, 2]',
      '{not json',
    ];
    const error = await expectMmaeError(() => load('m.jsonl', rows.join('\n')), DataError, [
      'm.jsonl:1',
      "field 'image' must be a path",
      'm.jsonl:2',
      "field 'label'",
      'm.jsonl:3',
      'm.jsonl:4',
      'm.jsonl:5',
    ]);
    expect(error.message).toMatch(/5 problem/);
  });

  it('reports a CSV row with the wrong number of fields and an unclosed quote', async () => {
    await expectMmaeError(() => load('m.csv', 'image,label\na.png,1,extra\n'), DataError, [
      'm.csv:2',
      '3 fields',
    ]);
    await expectMmaeError(() => load('q.csv', 'image,label\n"a.png,1\n'), DataError, [
      'q.csv:2',
      'never closed',
    ]);
  });

  it('refuses an empty manifest and a missing one', async () => {
    await expectMmaeError(() => load('empty.csv', ''), DataError, ['empty.csv']);
    const options = manifestAdapter.optionsSchema.parse({ path: 'absent.csv' });
    await expectMmaeError(
      () => manifestAdapter.load(options, { seed: 1, baseDir: temp.dir }),
      DataError,
      ['absent.csv'],
    );
  });

  it('loads the well-formed rows of the same folder', async () => {
    const dataset = await load('ok.csv', 'image,label\na.png,0\nb.png,1\n', {
      validationSize: 0,
      testSize: 0,
    });
    expect(dataset.train.size).toBe(2);
  });
});
