import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RawDataset, RawSplit } from '../../../src/data/contract.js';
import { ConfigError, DataError } from '../../../src/errors/errors.js';
import {
  assignSpeakers,
  FSDD_DIR_ENV,
  fsddAdapter,
  parseRecordingName,
} from '../../../datasets/fsdd/index.js';

const sharedFsdd = resolve('../shared/datasets/fsdd');
const haveShared = existsSync(join(sharedFsdd, 'recordings'));
if (!haveShared) console.log(`Skipping shared-FSDD tests: ${sharedFsdd}/recordings is absent.`);

const load = (options: object, seed = 1) =>
  fsddAdapter.load(fsddAdapter.optionsSchema.parse(options), { seed, baseDir: process.cwd() });

function speakersOf(split: RawSplit): Set<string> {
  return new Set(Array.from({ length: split.size }, (_, i) => split.sample(i).group!));
}

/** A fake FSDD folder: empty .wav files for `speakers` × digits 0–9 × `takes`. */
function fakeFsdd(speakers: string[], takes = 2, nested = true): string {
  const root = mkdtempSync(join(tmpdir(), 'mmae-fsdd-'));
  const recordings = nested ? join(root, 'recordings') : root;
  mkdirSync(recordings, { recursive: true });
  for (const speaker of speakers) {
    for (let digit = 0; digit < 10; digit++) {
      for (let take = 0; take < takes; take++) {
        writeFileSync(join(recordings, `${digit}_${speaker}_${take}.wav`), '');
      }
    }
  }
  return root;
}

function allIds(dataset: RawDataset): string[] {
  return [dataset.train, dataset.validation, dataset.test].flatMap((s) =>
    Array.from({ length: s.size }, (_, i) => s.sample(i).id),
  );
}

const savedEnv = process.env[FSDD_DIR_ENV];
afterEach(() => {
  if (savedEnv === undefined) delete process.env[FSDD_DIR_ENV];
  else process.env[FSDD_DIR_ENV] = savedEnv;
});

describe('FSDD file names', () => {
  it('parse digit, speaker and index', () => {
    expect(parseRecordingName('7_jackson_32.wav')).toEqual({
      file: '7_jackson_32.wav',
      digit: 7,
      speaker: 'jackson',
      index: 32,
    });
    expect(parseRecordingName('x_jackson_1.wav')).toBeUndefined();
  });
});

describe.skipIf(!haveShared)('fsdd adapter on the shared five-speaker copy', () => {
  it('loads 2,500 recordings and never shares a speaker between splits', async () => {
    delete process.env[FSDD_DIR_ENV];
    const dataset = await load({});
    expect(dataset.modalities).toEqual(['audio']);
    expect(dataset.train.size + dataset.validation.size + dataset.test.size).toBe(2500);
    const train = speakersOf(dataset.train);
    const validation = speakersOf(dataset.validation);
    const test = speakersOf(dataset.test);
    expect(test).toEqual(new Set(['yweweler']));
    expect(validation).toEqual(new Set(['nicolas']));
    expect(train).toEqual(new Set(['george', 'jackson', 'lucas']));
    const sample = dataset.test.sample(0);
    expect(sample.values.audio).toEqual({
      kind: 'file',
      path: join(sharedFsdd, 'recordings', sample.id),
    });
    expect(sample.label).toBe(Number(sample.id[0]));
  });

  it('honours named test and validation speakers', async () => {
    const dataset = await load({
      dir: join(sharedFsdd, 'recordings'),
      testSpeakers: ['george', 'lucas'],
      validationSpeakers: ['jackson'],
    });
    expect(speakersOf(dataset.test)).toEqual(new Set(['george', 'lucas']));
    expect(speakersOf(dataset.validation)).toEqual(new Set(['jackson']));
    expect(dataset.test.size).toBe(1000);
  });
});

describe('fsdd adapter on generated folders', () => {
  it('reads any number of speakers, from the folder or recordings/ itself, the same way', async () => {
    const root = fakeFsdd(['amy', 'ben', 'cy', 'dee'], 3);
    const a = await load({ dir: root });
    const b = await load({ dir: join(root, 'recordings') }, 99);
    expect(allIds(a)).toEqual(allIds(b));
    expect(a.train.size + a.validation.size + a.test.size).toBe(120);
    expect(speakersOf(a.test)).toEqual(new Set(['dee']));
    expect(speakersOf(a.validation)).toEqual(new Set(['cy']));
  });

  it('finds the folder through MMAE_FSDD_DIR when no dir option is set', async () => {
    const root = fakeFsdd(['p', 'q', 'r'], 1, false);
    process.env[FSDD_DIR_ENV] = root;
    const dataset = await load({});
    expect(speakersOf(dataset.train)).toEqual(new Set(['p']));
  });

  it('names the option and the env var when the folder is missing', async () => {
    const error = await load({ dir: '/nonexistent/fsdd' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DataError);
    expect((error as Error).message).toContain('/nonexistent/fsdd');
    expect((error as Error).message).toContain('`dir`');
    expect((error as Error).message).toContain(FSDD_DIR_ENV);
    process.env[FSDD_DIR_ENV] = '/also/missing';
    await expect(load({})).rejects.toThrow(/environment variable MMAE_FSDD_DIR/);
  });

  it('refuses misnamed recordings, unknown speakers and too few speakers for the defaults', async () => {
    const root = fakeFsdd(['amy', 'ben', 'cy']);
    await expect(load({ dir: root, testSpeakers: ['zoe'] })).rejects.toThrow(/zoe.*amy, ben, cy/);
    await expect(
      load({ dir: root, testSpeakers: ['amy'], validationSpeakers: ['amy'] }),
    ).rejects.toThrow(ConfigError);
    await expect(
      load({ dir: root, testSpeakers: ['amy', 'ben'], validationSpeakers: ['cy'] }),
    ).rejects.toThrow(/at least one for training/);
    writeFileSync(join(root, 'recordings', 'seven.wav'), '');
    await expect(load({ dir: root })).rejects.toThrow(/seven\.wav/);
    const two = fakeFsdd(['amy', 'ben']);
    await expect(load({ dir: two })).rejects.toThrow(/validationSpeakers explicitly/);
    const small = await load({ dir: two, validationSpeakers: [] });
    expect(small.validation.size).toBe(0);
  });
});

describe('assignSpeakers', () => {
  it('picks test then validation from the end of the alphabet, skipping named speakers', () => {
    expect(assignSpeakers(['d', 'a', 'c', 'b'], {})).toEqual({ test: ['d'], validation: ['c'] });
    expect(assignSpeakers(['d', 'a', 'c', 'b'], { testSpeakers: ['d', 'c'] })).toEqual({
      test: ['d', 'c'],
      validation: ['b'],
    });
  });
});
