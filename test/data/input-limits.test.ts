/**
 * A size limit is declared by whoever reads the files it bounds, its variable named for it; the
 * built-in plugins and datasets declare the limits and variables mmae always had.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WAV_CLIP_LIMIT } from '../../plugins/audio/file-kind.js';
import { IMAGE_FILE_LIMIT } from '../../plugins/image/file-kind.js';
import { IDX_FILE_LIMIT } from '../../datasets/mnist/idx.js';
import { SERIES_FILE_LIMIT } from '../../examples/timeseries-plugin/series-file-kind.js';
import { inputLimit, readInputFile } from '../../src/data/input-file.js';
import {
  CONFIG_FILE_LIMIT,
  TEXT_FILE_LIMIT,
  declareInputLimit,
} from '../../src/data/input-limits.js';
import { DataError, PluginError } from '../../src/errors/errors.js';

afterEach(() => {
  delete process.env.MMAE_MAX_TIME_SERIES_TEST_MB;
});

describe('declared input limits', () => {
  it('keep the variables and defaults of the built-in kinds of file', () => {
    const limits = [IMAGE_FILE_LIMIT, WAV_CLIP_LIMIT, TEXT_FILE_LIMIT, IDX_FILE_LIMIT];
    expect(
      [...limits, CONFIG_FILE_LIMIT, SERIES_FILE_LIMIT].map((l) => [l.env, l.defaultMib]),
    ).toEqual([
      ['MMAE_MAX_IMAGE_MB', 32],
      ['MMAE_MAX_AUDIO_MB', 256],
      ['MMAE_MAX_TEXT_MB', 64],
      ['MMAE_MAX_IDX_MB', 256],
      ['MMAE_MAX_CONFIG_MB', 1],
      ['MMAE_MAX_TIMESERIES_MB', 1],
    ]);
    expect(inputLimit(IMAGE_FILE_LIMIT)).toEqual({
      bytes: 32 * 1024 * 1024,
      advice: 'the 32 MiB limit for image files; set MMAE_MAX_IMAGE_MB (in MiB) to raise it',
    });
  });

  it('name their variable after themselves, and a file over one names it and what it bounds', async () => {
    const limit = declareInputLimit({
      name: 'time-series-test',
      defaultMib: 1,
      files: 'test series',
    });
    expect(limit.env).toBe('MMAE_MAX_TIME_SERIES_TEST_MB');
    const dir = await mkdtemp(join(tmpdir(), 'mmae-input-limits-'));
    try {
      const file = join(dir, 'series.csv');
      await writeFile(file, '1,2,3,4,5,6,7,8,9,10\n');
      const request = { limit, what: 'series file' };
      expect((await readInputFile(file, request)).length).toBe(21);
      process.env.MMAE_MAX_TIME_SERIES_TEST_MB = '0.00001';
      const refused = await readInputFile(file, request).catch((error: unknown) => error);
      expect(refused).toBeInstanceOf(DataError);
      expect((refused as Error).message).toContain(
        'series.csv: it is 21 bytes, over the 0.00001 MiB limit for test series; ' +
          'set MMAE_MAX_TIME_SERIES_TEST_MB (in MiB) to raise it.',
      );
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuse a name that cannot name a variable, a default that is no size, and one name with two defaults', () => {
    expect(() => declareInputLimit({ name: 'Big Files', defaultMib: 1, files: 'x' })).toThrow(
      PluginError,
    );
    expect(() => declareInputLimit({ name: 'Big Files', defaultMib: 1, files: 'x' })).toThrow(
      /"Big Files" must be lower-case letters and digits.*MMAE_MAX_<NAME>_MB/,
    );
    expect(() => declareInputLimit({ name: 'zero', defaultMib: 0, files: 'x' })).toThrow(
      /input limit 'zero': defaultMib is 0/,
    );
    const first = declareInputLimit({ name: 'twice', defaultMib: 2, files: 'first files' });
    expect(declareInputLimit({ name: 'twice', defaultMib: 2, files: 'first files' })).toBe(first);
    expect(() => declareInputLimit({ name: 'twice', defaultMib: 3, files: 'other files' })).toThrow(
      /'twice' is declared twice, as 2 MiB for first files and as 3 MiB for other files; they share MMAE_MAX_TWICE_MB/,
    );
  });
});
