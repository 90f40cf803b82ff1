import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { ExactIndex, loadExactIndex, saveExactIndex } from '../../src/search/index.js';
import { randomVectors } from './random-vectors.js';
import { payloadPath } from './saved-index.js';

const DIMS = 8;
const gallery = randomVectors(200, DIMS, 3);
const queries = randomVectors(5, DIMS, 4);
const ids = Array.from({ length: 200 }, (_, i) => `img-${i}`);
const labels = Array.from({ length: 200 }, (_, i) => i % 10);

describe('saving and loading an ExactIndex', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmae-exact-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  for (const metric of ['cosine', 'euclidean'] as const) {
    it(`gives the same ${metric} hits, ids and labels after a round trip`, async () => {
      const index = ExactIndex.build(gallery, { metric, dims: DIMS, ids, labels });
      await saveExactIndex(index, dir);
      const loaded = await loadExactIndex(dir, { dims: DIMS, metric });
      expect(loaded.size).toBe(200);
      expect(loaded.search(queries, 6)).toEqual(index.search(queries, 6));
    });
  }

  it('refuses an embeddings file with a flipped byte', async () => {
    await saveExactIndex(ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS }), dir);
    const path = await payloadPath(dir);
    const bin = await readFile(path);
    bin[17] = (bin[17] as number) ^ 0xff;
    await writeFile(path, bin);
    await expect(loadExactIndex(dir)).rejects.toThrow(RunError);
    await expect(loadExactIndex(dir)).rejects.toThrow(/checksum mismatch/);
  });

  it('refuses metadata whose ids were edited', async () => {
    await saveExactIndex(ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS, ids }), dir);
    const meta = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    meta.ids[0] = 'someone-else';
    await writeFile(join(dir, 'index.json'), JSON.stringify(meta));
    await expect(loadExactIndex(dir)).rejects.toThrow(/checksum mismatch/);
  });

  it('refuses an index whose dims or metric differ from what the caller expects', async () => {
    await saveExactIndex(ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS }), dir);
    await expect(loadExactIndex(dir, { dims: 16 })).rejects.toThrow(/8 dims but 16 were expected/);
    await expect(loadExactIndex(dir, { metric: 'euclidean' })).rejects.toThrow(
      /metric 'cosine' but 'euclidean'/,
    );
  });

  it('refuses a directory without an index and names the file', async () => {
    await expect(loadExactIndex(dir)).rejects.toThrow(/index\.json: cannot read/);
  });

  it('refuses metadata that is not JSON or has a wrong field', async () => {
    await saveExactIndex(ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS }), dir);
    const meta = JSON.parse(await readFile(join(dir, 'index.json'), 'utf8'));
    await writeFile(join(dir, 'index.json'), JSON.stringify({ ...meta, dims: 'eight' }));
    await expect(loadExactIndex(dir)).rejects.toThrow(/field 'dims' is invalid/);
    await writeFile(join(dir, 'index.json'), '{ not json');
    await expect(loadExactIndex(dir)).rejects.toThrow(/not valid JSON/);
  });
});
