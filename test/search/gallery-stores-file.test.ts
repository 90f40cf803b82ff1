/**
 * RUN/index/stores.json is a file of the run, so data: written without credentials, read bounded
 * and validated, and a forged one that names a password, or is not JSON, is refused by name.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import {
  MAX_STORES_BYTES,
  readGalleryStores,
  recordGalleryStore,
  STORES_FILE,
  type StoredGallery,
} from '../../src/search/gallery-stores-file.js';

let dir: string;
const entry: StoredGallery = {
  modality: 'image',
  split: 'test',
  store: 'postgres',
  url: 'postgres://db.example:5432/galleries',
  table: 'mmae_image_test_run',
  metric: 'cosine',
  dims: 8,
  rows: 200,
  checkpoint: { generation: 2, weightsSha256: 'ab'.repeat(32) },
  updatedAt: '2026-12-04T02:00:00.000Z',
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-stores-file-'));
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('stores.json', () => {
  it('records one entry per modality and split, replacing the older one', async () => {
    expect(await readGalleryStores(dir)).toEqual([]);
    await recordGalleryStore(dir, entry);
    await recordGalleryStore(dir, { ...entry, split: 'train', rows: 600 });
    await recordGalleryStore(dir, { ...entry, rows: 201 });
    const read = await readGalleryStores(dir);
    expect(read.map((g) => [g.split, g.rows])).toEqual([
      ['train', 600],
      ['test', 201],
    ]);
  });

  it('never writes a URL that carries credentials', async () => {
    await expect(
      recordGalleryStore(dir, { ...entry, url: 'postgres://alice:s3cret@db.example/galleries' }),
    ).rejects.toThrow();
    expect(await readFile(join(dir, STORES_FILE), 'utf8')).not.toContain('s3cret');
  });

  it('refuses a forged file naming a password, one that is not JSON, and one too large', async () => {
    const path = join(dir, STORES_FILE);
    const forged = {
      format: 'mmae-gallery-stores',
      version: 1,
      galleries: [{ ...entry, url: 'postgres://u:pw@h/db' }],
    };
    await writeFile(path, JSON.stringify(forged));
    await expect(readGalleryStores(dir)).rejects.toThrow(RunError);
    await expect(readGalleryStores(dir)).rejects.toThrow(
      /field 'galleries\.0\.url' is invalid \(a URL in a run never carries credentials\)/,
    );
    await writeFile(path, '{ not json');
    await expect(readGalleryStores(dir)).rejects.toThrow(/not valid JSON/);
    await writeFile(path, ' '.repeat(MAX_STORES_BYTES + 1));
    await expect(readGalleryStores(dir)).rejects.toThrow(/holds \d+ bytes, expected 0–1048576/);
  });
});
