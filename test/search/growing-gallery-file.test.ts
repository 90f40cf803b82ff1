/**
 * GrowingGalleryFile: a gallery written a batch at a time becomes the same exact index as one
 * built at once; a batch that died before its commit is cut off on resume; a partial gallery of
 * another checkpoint or latent size is refused.
 */
import { appendFile, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ExactIndex, loadExactIndex } from '../../src/search/index.js';
import { GrowingGalleryFile } from '../../src/search/growing-gallery-file.js';
import { randomVectors } from './random-vectors.js';

const DIMS = 6;
const checkpoint = { generation: 2, weightsSha256: 'a'.repeat(64) };
let root: string;
let dir: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmae-growing-'));
  dir = join(root, 'index', 'image-mine');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

function batch(from: number, rows: number, codes: Float32Array) {
  const ids = Array.from({ length: rows }, (_, i) => `r${from + i}`);
  const labels = Array.from({ length: rows }, (_, i) => ((from + i) % 3) - 1);
  return { ids, labels, codes: codes.slice(from * DIMS, (from + rows) * DIMS) };
}

describe('GrowingGalleryFile', () => {
  it('grows batch by batch into the exact index of all its rows, then drops the partial', async () => {
    const codes = randomVectors(50, DIMS, 11);
    const file = await GrowingGalleryFile.create(dir, { dims: DIMS, checkpoint });
    for (let start = 0; start < 50; start += 16) {
      const b = batch(start, Math.min(16, 50 - start), codes);
      await file.append(b.ids, b.labels, b.codes);
    }
    expect(file.rows).toBe(50);
    await expect(file.finish()).resolves.toEqual({ size: 50 });
    expect(await readdir(join(root, 'index'))).toEqual(['image-mine']);

    const loaded = await loadExactIndex(dir, { dims: DIMS, metric: 'cosine', checkpoint });
    const all = batch(0, 50, codes);
    const direct = ExactIndex.build(codes, { metric: 'cosine', dims: DIMS, ids: all.ids });
    const queries = randomVectors(5, DIMS, 12);
    const got = loaded!.search(queries, 7);
    const want = direct.search(queries, 7);
    expect(got.map((r) => r.map((h) => h.id))).toEqual(want.map((r) => r.map((h) => h.id)));
    for (const [q, row] of got.entries()) {
      for (const [i, hit] of row.entries()) {
        expect(hit.distance).toBeCloseTo(want[q]![i]!.distance, 6);
        expect(hit.label).toBe((Number(hit.id.slice(1)) % 3) - 1);
      }
    }
    loaded!.dispose();
    direct.dispose();
  });

  it('resumes after the last committed batch, cutting off one that died before its commit', async () => {
    const codes = randomVectors(30, DIMS, 5);
    const first = await GrowingGalleryFile.create(dir, { dims: DIMS, checkpoint });
    const a = batch(0, 10, codes);
    await first.append(a.ids, a.labels, a.codes);
    // A batch killed between its appends and its state.json: bytes on disk, not committed.
    const torn = batch(10, 10, codes);
    await appendFile(join(`${dir}.partial`, 'codes.f32'), new Uint8Array(torn.codes.buffer));
    await appendFile(join(`${dir}.partial`, 'ids.jsonl'), '["r10",0]\n["r1');

    const { file, done } = await GrowingGalleryFile.resume(dir, { dims: DIMS, checkpoint });
    expect([...done].sort()).toEqual(a.ids.slice().sort());
    expect(file.rows).toBe(10);
    const rest = batch(10, 20, codes);
    await file.append(rest.ids, rest.labels, rest.codes);
    await file.finish();
    const loaded = await loadExactIndex(dir, { dims: DIMS, metric: 'cosine', checkpoint });
    expect(loaded!.size).toBe(30);
    expect(new Set(loaded!.ids)).toEqual(new Set(batch(0, 30, codes).ids));
    // Row i is still code i: the torn bytes did not shift anything.
    const [hits = []] = loaded!.search(codes.slice(17 * DIMS, 18 * DIMS), 1);
    expect(hits[0]!.id).toBe('r17');
    loaded!.dispose();
  });

  it('refuses to resume a partial gallery of another checkpoint or latent size, or none', async () => {
    await expect(GrowingGalleryFile.resume(dir, { dims: DIMS, checkpoint })).rejects.toThrow(
      /no partial gallery to resume here; run mmae index without --resume/,
    );
    await GrowingGalleryFile.create(dir, { dims: DIMS, checkpoint });
    const newer = { generation: 3, weightsSha256: 'b'.repeat(64) };
    await expect(GrowingGalleryFile.resume(dir, { dims: DIMS, checkpoint: newer })).rejects.toThrow(
      /encoded by checkpoint generation 2, the run is now at generation 3/,
    );
    await expect(GrowingGalleryFile.resume(dir, { dims: 8, checkpoint })).rejects.toThrow(
      /holds 6-d codes, this run encodes 8-d/,
    );
  });

  it('refuses a forged or damaged state with one line, before reading the rows', async () => {
    await GrowingGalleryFile.create(dir, { dims: DIMS, checkpoint });
    const state = join(`${dir}.partial`, 'state.json');
    await writeFile(
      state,
      JSON.stringify({
        format: 'mmae-growing-gallery',
        version: 1,
        dims: DIMS,
        rows: 1e9,
        idsBytes: 5,
        checkpoint,
      }),
    );
    await expect(GrowingGalleryFile.resume(dir, { dims: DIMS, checkpoint })).rejects.toThrow(
      /fewer than the \d+ committed; the partial gallery is damaged/,
    );
    await writeFile(state, '{"format":"something else"}');
    await expect(GrowingGalleryFile.resume(dir, { dims: DIMS, checkpoint })).rejects.toThrow(
      /not a partial gallery state/,
    );
  });
});
