import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawDataset, RawSplit } from '../../../src/data/contract.js';
import { ConfigError, DataError } from '../../../src/errors/errors.js';
import { manifestAdapter } from '../../../datasets/manifest/index.js';

/** A folder with a few media files and the given manifests. */
function folder(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'mmae-manifest-'));
  mkdirSync(join(root, 'media'));
  for (const name of ['a.png', 'b.png', 'c.png', 'a.wav', 'b.wav']) {
    writeFileSync(join(root, 'media', name), 'x');
  }
  for (const [name, text] of Object.entries(files)) writeFileSync(join(root, name), text);
  return root;
}

const load = (baseDir: string, options: object, seed = 1) =>
  manifestAdapter.load(manifestAdapter.optionsSchema.parse(options), { seed, baseDir });

function all(dataset: RawDataset) {
  const of = (s: RawSplit) => Array.from({ length: s.size }, (_, i) => s.sample(i));
  return { train: of(dataset.train), validation: of(dataset.validation), test: of(dataset.test) };
}

async function problemsOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  return (error as DataError).message;
}

describe('manifest adapter, good manifests', () => {
  it('reads a CSV with a split column, quoted text, names as labels and missing fields', async () => {
    const csv = [
      'id,image,audio,text,label,split',
      'first,media/a.png,media/a.wav,"a cat, sitting",cat,train',
      'second,media/b.png,,,dog,val',
      'third,,media/b.wav,"the ""dog""",dog,test',
      'fourth,media/c.png,,,cat,train',
    ].join('\n');
    const root = folder({ 'data.csv': csv });
    const dataset = await load(root, { path: 'data.csv' });
    expect(dataset.classes).toEqual(['cat', 'dog']);
    expect(dataset.modalities).toEqual(['image', 'audio', 'text']);
    const { train, validation, test } = all(dataset);
    expect(train.map((s) => s.id)).toEqual(['first', 'fourth']);
    expect(train[0]).toEqual({
      id: 'first',
      label: 0,
      group: undefined,
      values: {
        image: { kind: 'file', path: join(root, 'media', 'a.png') },
        audio: { kind: 'file', path: join(root, 'media', 'a.wav') },
        text: { kind: 'text', text: 'a cat, sitting' },
      },
    });
    expect(validation.map((s) => [s.id, s.label, Object.keys(s.values)])).toEqual([
      ['second', 1, ['image']],
    ]);
    expect(test[0]!.values.text).toEqual({ kind: 'text', text: 'the "dog"' });
  });

  it('reads JSON Lines with index labels and splits by a seeded ratio, deterministically', async () => {
    const lines = Array.from({ length: 40 }, (_, i) =>
      JSON.stringify({ text: `row ${i}`, label: i % 3, image: i % 2 ? 'media/a.png' : null }),
    );
    const root = folder({ 'm.jsonl': lines.join('\n') + '\n' });
    const a = all(await load(root, { path: 'm.jsonl', validationSize: 0.25, testSize: 4 }));
    const b = all(await load(root, { path: 'm.jsonl', validationSize: 0.25, testSize: 4 }));
    expect([a.train.length, a.validation.length, a.test.length]).toEqual([26, 10, 4]);
    expect(a.validation.map((s) => s.id)).toEqual(b.validation.map((s) => s.id));
    expect(a.train[0]!.id).toMatch(/^m\.jsonl:\d+$/);
    const ids = new Set([...a.train, ...a.validation, ...a.test].map((s) => s.id));
    expect(ids.size).toBe(40);
    const dataset = await load(root, { path: 'm.jsonl' });
    expect(dataset.classes).toBeUndefined();
  });

  it('keeps each group in one split when rows carry a group', async () => {
    const lines = Array.from({ length: 60 }, (_, i) =>
      JSON.stringify({ text: `t${i}`, group: `speaker${i % 6}` }),
    );
    const root = folder({ 'g.jsonl': lines.join('\n') });
    const { train, validation, test } = all(
      await load(root, { path: 'g.jsonl', validationSize: 1, testSize: 1 }),
    );
    const groups = (rows: typeof train) => new Set(rows.map((s) => s.group));
    expect(groups(test).size).toBe(1);
    expect(groups(validation).size).toBe(1);
    for (const g of groups(test))
      expect(groups(train).has(g) || groups(validation).has(g)).toBe(false);
  });

  it('accepts paths outside the folder and extra fields only when asked', async () => {
    const root = folder({});
    const inner = join(root, 'sub');
    mkdirSync(inner);
    writeFileSync(
      join(inner, 'x.csv'),
      `image,note\n../media/a.png,hello\n${join(root, 'media', 'b.png')},\n`,
    );
    const dataset = await load(inner, {
      path: 'x.csv',
      allowOutsideRoot: true,
      unknownFields: 'ignore',
      split: 'ratio',
      validationSize: 0,
      testSize: 0,
    });
    expect(dataset.train.size).toBe(2);
    expect(dataset.train.sample(0).values.image).toEqual({
      kind: 'file',
      path: join(root, 'media', 'a.png'),
    });
  });

  it('reads extra modalities declared in the options, and class indices with given classes', async () => {
    const root = folder({
      'c.csv': 'caption,photo,label\nhi,media/a.png,1\nyo,media/b.png,zero\n',
    });
    const dataset = await load(root, {
      path: 'c.csv',
      modalities: { photo: 'file', caption: 'text' },
      classes: ['zero', 'one'],
      validationSize: 0,
      testSize: 0,
    });
    expect(dataset.modalities).toEqual(['photo', 'caption']);
    expect(all(dataset).train.map((s) => s.label)).toEqual([1, 0]);
  });
});

describe('manifest adapter, bad manifests', () => {
  it('lists every problem of a CSV with file and line, before any training', async () => {
    const csv = [
      'id,image,text,label,colour',
      'a,media/a.png,ok,1,',
      'b,media/missing.png,,1,',
      'a,media/b.png,,1,',
      'c,/etc/passwd,,1,',
      'd,../outside.png,,1,',
      'e,,,2,',
      'f,media/c.png,,2.5,',
      'g,media/c.png,,1,red',
      'h,media/c.png,too,many,fields,here',
    ].join('\n');
    const root = folder({ 'bad.csv': csv });
    const message = await problemsOf(load(root, { path: 'bad.csv' }));
    expect(message).toContain(join(root, 'bad.csv'));
    expect(message).toMatch(/bad\.csv:3: field 'image': file not found: .*missing\.png/);
    expect(message).toMatch(/bad\.csv:4: id 'a' is already used on line 2/);
    expect(message).toMatch(/bad\.csv:5: absolute path '\/etc\/passwd' is refused/);
    expect(message).toMatch(/bad\.csv:6: path '\.\.\/outside\.png' leads out of/);
    expect(message).toMatch(/bad\.csv:7: has no modality/);
    expect(message).toMatch(/bad\.csv:8: label "2\.5" /);
    expect(message).toMatch(/bad\.csv:9: unknown field 'colour'/);
    expect(message).toMatch(/bad\.csv:10: has 6 fields, the header has 5/);
    expect(message).toContain('has 8 problem(s)');
  });

  it('reports wrong JSON types, bad JSON and bad splits by line', async () => {
    const jsonl = [
      '{"text": "fine", "split": "train"}',
      '{"text": 5, "split": "train"}',
      '{"image": ["a.png"], "split": "train"}',
      'not json',
      '[1, 2]',
      '{"text": "x", "split": "holdout"}',
      '{"text": "y", "label": {"name": "cat"}, "split": "test"}',
      '{"text": "z"}',
    ].join('\n');
    const root = folder({ 'bad.jsonl': jsonl });
    const message = await problemsOf(load(root, { path: 'bad.jsonl' }));
    expect(message).toMatch(/bad\.jsonl:2: field 'text' must be a string, got 5/);
    expect(message).toMatch(/bad\.jsonl:3: field 'image' must be a path, got \["a\.png"\]/);
    expect(message).toMatch(/bad\.jsonl:4: is not valid JSON/);
    expect(message).toMatch(/bad\.jsonl:5: is not a JSON object/);
    expect(message).toMatch(/bad\.jsonl:6: field 'split' is "holdout"/);
    expect(message).toMatch(/bad\.jsonl:7: field 'label' must be a class index or name/);
    const rest = await problemsOf(
      load(
        folder({
          'm.jsonl': jsonl
            .split('\n')
            .filter((_, i) => i === 0 || i === 7)
            .join('\n'),
        }),
        {
          path: 'm.jsonl',
        },
      ),
    );
    expect(rest).toMatch(/m\.jsonl:2: has no split while other rows do/);
  });

  it('refuses labels that mix names and indices or fall outside the classes', async () => {
    const root = folder({
      'mixed.csv': 'text,label\na,cat\nb,3\n',
      'range.csv': 'text,label\na,2\nb,bird\n',
    });
    expect(await problemsOf(load(root, { path: 'mixed.csv' }))).toMatch(
      /mixed\.csv:3: label "3" is an index but line 2 uses the class name "cat"/,
    );
    const message = await problemsOf(load(root, { path: 'range.csv', classes: ['cat', 'dog'] }));
    expect(message).toMatch(/range\.csv:2: label "2" is not a class index in 0\.\.1/);
    expect(message).toMatch(/range\.csv:3: label "bird" is not one of the classes cat, dog/);
  });

  it('names the file when it is missing, empty, of unknown format or leaves nothing to train on', async () => {
    const root = folder({ 'empty.csv': 'text\n', 'm.txt': 'x', 'one.csv': 'text\nhi\n' });
    await expect(load(root, { path: 'nope.csv' })).rejects.toThrow(
      /Cannot read manifest .*nope\.csv.*ENOENT/,
    );
    await expect(load(root, { path: 'empty.csv' })).rejects.toThrow(/has no rows/);
    await expect(load(root, { path: 'm.txt' })).rejects.toThrow(/unknown extension.*`format`/);
    await expect(load(root, { path: 'one.csv', validationSize: 1, testSize: 0 })).rejects.toThrow(
      ConfigError,
    );
    expect(() =>
      manifestAdapter.optionsSchema.parse({ path: 'x.csv', modalities: { label: 'text' } }),
    ).toThrow();
  });
});
