/**
 * How index directories are written and what a reader makes of every state a write can leave:
 * the old index or the new one, never a torn one; a stale or unfinished one reads as
 * StaleIndexError (rebuild), never as damage.
 */
import { mkdtemp, readdir, readFile, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ApproximateIndex,
  ExactIndex,
  loadApproximateIndex,
  loadExactIndex,
  loadSavedIndex,
  saveApproximateIndex,
  saveExactIndex,
  StaleIndexError,
} from '../../src/search/index.js';
import { randomVectors } from './random-vectors.js';
import { readSaved, writeResigned } from './saved-index.js';

const DIMS = 8;
const queries = randomVectors(4, DIMS, 99);
const galleryA = randomVectors(120, DIMS, 31);
const galleryB = randomVectors(150, DIMS, 32);
const checkpointA = { generation: 3, weightsSha256: 'a'.repeat(64) };
const checkpointB = { generation: 4, weightsSha256: 'b'.repeat(64) };

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-index-writes-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writing an index directory', () => {
  it('lets a reader racing a writer see the old index or the new one, never an error', async () => {
    const a = ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS });
    const b = ExactIndex.build(galleryB, { metric: 'cosine', dims: DIMS });
    const expected = [a.search(queries, 3), b.search(queries, 3)];
    await saveExactIndex(a, dir);
    const writes = (async () => {
      for (let i = 0; i < 30; i++) await saveExactIndex(i % 2 ? a : b, dir);
    })();
    const reads = (async () => {
      const seen: number[] = [];
      for (let i = 0; i < 60; i++) {
        const loaded = await loadExactIndex(dir);
        seen.push(loaded.size);
        expect(expected).toContainEqual(loaded.search(queries, 3));
      }
      return seen;
    })();
    const [, seen] = await Promise.all([writes, reads]);
    expect(new Set(seen)).toEqual(new Set([120, 150]));
  });

  it('is left loadable by two writers saving at once (the last one to commit wins)', async () => {
    const a = ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS });
    const b = ExactIndex.build(galleryB, { metric: 'cosine', dims: DIMS });
    for (let i = 0; i < 20; i++) {
      await Promise.all([saveExactIndex(a, dir), saveExactIndex(b, dir)]);
      expect([120, 150]).toContain((await loadExactIndex(dir)).size);
    }
  });

  it('never removes a file that a save does not write, whatever index.json names', async () => {
    await saveExactIndex(ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS }), dir);
    await writeFile(join(dir, 'notes.txt'), 'mine');
    const { meta } = await readSaved(dir);
    await writeFile(join(dir, 'index.json'), JSON.stringify({ ...meta, payload: 'notes.txt' }));
    await saveExactIndex(ExactIndex.build(galleryB, { metric: 'cosine', dims: DIMS }), dir);
    expect(await readFile(join(dir, 'notes.txt'), 'utf8')).toBe('mine');
  });

  it('keeps only the current payload and leaves no temp files behind', async () => {
    await saveExactIndex(ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS }), dir);
    await saveExactIndex(ExactIndex.build(galleryB, { metric: 'cosine', dims: DIMS }), dir);
    const { meta } = await readSaved(dir);
    expect((await readdir(dir)).sort()).toEqual(['index.json', meta.payload].sort());
    expect(meta.payload).toMatch(/^embeddings\.[0-9a-f]{16}\.bin$/);
  });

  it('leaves the old index loadable when a save died after its payload, and cleans up later', async () => {
    const a = ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS });
    await saveExactIndex(a, dir);
    // What a crash between the payload and index.json leaves, plus a torn index.json temp file.
    const orphan = join(dir, 'embeddings.0123456789abcdef.bin');
    await writeFile(orphan, Buffer.alloc(333));
    const torn = join(dir, '.index.json.tmp-1234-abcd');
    await writeFile(torn, '{"format": "mmae-ex');
    expect((await loadExactIndex(dir)).search(queries, 3)).toEqual(a.search(queries, 3));
    // A fresh unnamed payload may be another writer's, about to be committed: it is kept.
    await saveExactIndex(a, dir);
    expect(await readdir(dir)).toContain('embeddings.0123456789abcdef.bin');
    const anHourAgo = new Date(Date.now() - 3600_000);
    await utimes(orphan, anHourAgo, anHourAgo);
    await utimes(torn, anHourAgo, anHourAgo);
    await saveExactIndex(a, dir);
    expect(await readdir(dir)).not.toContain('embeddings.0123456789abcdef.bin');
    expect(await readdir(dir)).not.toContain('.index.json.tmp-1234-abcd');
  });

  it('reads an index.json whose payload was removed under it as unfinished (rebuild), not damaged', async () => {
    await saveExactIndex(ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS }), dir);
    const oldMeta = await readFile(join(dir, 'index.json'));
    await saveExactIndex(ExactIndex.build(galleryB, { metric: 'cosine', dims: DIMS }), dir);
    await writeFile(join(dir, 'index.json'), oldMeta);
    await expect(loadExactIndex(dir)).rejects.toThrow(StaleIndexError);
    await expect(loadExactIndex(dir)).rejects.toThrow(
      /does not exist; the index was never completed/,
    );
  });

  it('refuses an index directory that is a symbolic link', async () => {
    const real = join(dir, 'real');
    await saveExactIndex(ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS }), real);
    await symlink(real, join(dir, 'link'));
    await expect(loadExactIndex(join(dir, 'link'))).rejects.toThrow(/not a symbolic link/);
    await expect(
      saveExactIndex(
        ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS }),
        join(dir, 'link'),
      ),
    ).rejects.toThrow(/not a symbolic link/);
  });
});

describe('an index and the checkpoint it was built from', () => {
  for (const kind of ['exact', 'hnsw'] as const) {
    const save = (checkpoint?: typeof checkpointA) =>
      kind === 'exact'
        ? saveExactIndex(ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS }), dir, {
            checkpoint,
          })
        : saveApproximateIndex(
            ApproximateIndex.build(galleryA, { metric: 'cosine', dims: DIMS }),
            dir,
            {
              checkpoint,
            },
          );
    const load = (checkpoint: typeof checkpointA) =>
      kind === 'exact'
        ? loadExactIndex(dir, { checkpoint })
        : loadApproximateIndex(dir, { checkpoint });

    it(`records the checkpoint in index.json and loads for that checkpoint (${kind})`, async () => {
      await save(checkpointA);
      expect((await readSaved(dir)).meta.checkpoint).toEqual(checkpointA);
      expect((await load(checkpointA)).size).toBe(120);
    });

    it(`reads as stale for a newer checkpoint, naming both generations (${kind})`, async () => {
      await save(checkpointA);
      await expect(load(checkpointB)).rejects.toThrow(StaleIndexError);
      await expect(load(checkpointB)).rejects.toThrow(
        /built from checkpoint generation 3 \(weights aaaaaaaaaaaa…\), the run is now at generation 4/,
      );
    });

    it(`reads as stale when it records no checkpoint (${kind})`, async () => {
      await save(undefined);
      await expect(load(checkpointA)).rejects.toThrow(/records no checkpoint/);
      await expect(load(checkpointA)).rejects.toThrow(StaleIndexError);
    });
  }

  it('reads an index of the older format (version 1) as stale', async () => {
    await saveExactIndex(ExactIndex.build(galleryA, { metric: 'cosine', dims: DIMS }), dir);
    const { meta, payload } = await readSaved(dir);
    await writeResigned(dir, { ...meta, version: 1 }, payload);
    await expect(loadSavedIndex(dir)).rejects.toThrow(StaleIndexError);
    await expect(loadSavedIndex(dir)).rejects.toThrow(/older mmae \(index format 1\)/);
  });
});
