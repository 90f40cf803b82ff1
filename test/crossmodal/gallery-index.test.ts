/**
 * A gallery index records the checkpoint whose model encoded it. After `train --resume` writes a
 * new checkpoint, the old index is stale: retrieval (which builds indexes on the fly) rebuilds it
 * with a note, and loading where nothing can be built refuses it with the command to run.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildGalleryIndex,
  galleryDir,
  loadGalleryIndex,
  openGalleryIndex,
  prepareSplit,
} from '../../src/crossmodal/index.js';
import { rowsWith } from '../../src/crossmodal/split-table.js';
import { RunError } from '../../src/errors/errors.js';
import { encodeTable } from '../../src/evaluation/measures/encode-table.js';
import { openRun, type OpenedRun } from '../../src/open/open-run.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { ExactIndex, StaleIndexError } from '../../src/search/index.js';
import { writeResigned } from '../search/saved-index.js';
import { tinyImageTextConfig, trainTinyRun } from './tiny-run.js';

let dir: string;
let runDir: string;
let first: OpenedRun;
let resumed: OpenedRun;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-gallery-index-'));
  runDir = await trainTinyRun(dir);
  first = await openRun(runDir);
  await buildGalleryIndex(first, 'image', 'test');
  const more = await trainJob({
    config: { config: tinyImageTextConfig(), baseDir: dir },
    out: runDir,
    resume: true,
    epochs: 3,
    quiet: true,
    log: () => {},
  });
  more.model.dispose();
  resumed = await openRun(runDir);
});

afterAll(async () => {
  first?.model.dispose();
  resumed?.model.dispose();
  await rm(dir, { recursive: true, force: true });
});

async function indexMeta(opened: OpenedRun): Promise<Record<string, unknown>> {
  const text = await readFile(
    join(galleryDir(opened.runDir, 'image', 'test'), 'index.json'),
    'utf8',
  );
  return JSON.parse(text) as Record<string, unknown>;
}

/** The exact top-k of the resumed model's own codes of the test images. */
async function freshHits(query: Float32Array, k: number) {
  const prepared = await prepareSplit(resumed, 'test', ['image']);
  const table = rowsWith(prepared.table, ['image']);
  const codes = encodeTable(resumed.model, table, ['image']);
  const exact = ExactIndex.build(codes, {
    metric: 'cosine',
    dims: resumed.model.latentSize,
    ids: table.ids,
    labels: Array.from(table.labels),
  });
  const hits = exact.search(query, k);
  exact.dispose();
  return hits;
}

describe('a gallery index and the checkpoint it was built from', () => {
  it('records the generation and weights hash of the checkpoint that encoded it', async () => {
    expect((await indexMeta(first)).checkpoint).toEqual({
      generation: first.checkpoint.generation,
      weightsSha256: first.checkpoint.weightsSha256,
    });
    expect(resumed.checkpoint.generation).toBeGreaterThan(first.checkpoint.generation);
    expect(resumed.checkpoint.weightsSha256).not.toBe(first.checkpoint.weightsSha256);
  });

  it('is refused after train --resume where it cannot be rebuilt, naming the command', async () => {
    const loading = loadGalleryIndex(resumed, 'image', 'test');
    await expect(loading).rejects.toThrow(StaleIndexError);
    await expect(loadGalleryIndex(resumed, 'image', 'test')).rejects.toThrow(
      new RegExp(
        `generation ${first.checkpoint.generation} .*generation ${resumed.checkpoint.generation}.*` +
          `Rebuild it with: mmae index ${runDir} --modality image --split test`,
      ),
    );
    await expect(loadGalleryIndex(resumed, 'image', 'test')).rejects.toThrow(RunError);
  });

  it('is rebuilt after train --resume by retrieval, with one note, and ranks by the new weights', async () => {
    const before = tf.memory().numTensors;
    const notes: string[] = [];
    const index = await openGalleryIndex(resumed, 'image', 'test', { note: (l) => notes.push(l) });
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatch(/^note: rebuilding the stale index: .*was built from checkpoint/);
    expect((await indexMeta(resumed)).checkpoint).toMatchObject({
      generation: resumed.checkpoint.generation,
    });
    const query = Float32Array.from({ length: index.dims }, (_, j) => Math.cos(j));
    expect(index.search(query, 10)).toEqual(await freshHits(query, 10));
    index.dispose?.();
    const again = await openGalleryIndex(resumed, 'image', 'test', { note: (l) => notes.push(l) });
    again.dispose?.();
    expect(notes).toHaveLength(1);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is refused, not rebuilt, when it was forged rather than left stale', async () => {
    const file = join(galleryDir(runDir, 'image', 'test'), 'index.json');
    const meta = JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;
    const payload = await readFile(join(galleryDir(runDir, 'image', 'test'), String(meta.payload)));
    await writeResigned(galleryDir(runDir, 'image', 'test'), { ...meta, dims: 9 }, payload);
    const notes: string[] = [];
    await expect(
      openGalleryIndex(resumed, 'image', 'test', { note: (l) => notes.push(l) }),
    ).rejects.toThrow(/9 dims but 8 were expected.*Rebuild it with: mmae index/);
    expect(notes).toEqual([]);
  });
});
