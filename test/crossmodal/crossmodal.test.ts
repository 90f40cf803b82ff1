import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildGalleryIndex,
  generate,
  readQuery,
  retrieve,
  writeArtefacts,
} from '../../src/crossmodal/index.js';
import { UsageError } from '../../src/errors/errors.js';
import { openRun, type OpenedRun } from '../../src/open/open-run.js';
import { trainTinyRun } from './tiny-run.js';

let dir: string;
let opened: OpenedRun;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-crossmodal-'));
  opened = await openRun(await trainTinyRun(dir));
});

afterAll(async () => {
  opened?.model.dispose();
  await rm(dir, { recursive: true, force: true });
});

describe('cross-modal retrieval and generation on a tiny image+text run', () => {
  it('indexes the test images and retrieves k of them for a caption, nearest first', async () => {
    const built = await buildGalleryIndex(opened, 'image', 'test');
    expect(built.size).toBe(200);
    const query = await readQuery(opened, 'text', 'a handwritten seven', '--text');
    const result = await retrieve(opened, query, { to: 'image', k: 10, split: 'test' });
    expect(result.hits).toHaveLength(10);
    const scores = result.hits.map((h) => h.score);
    expect(scores).toEqual([...scores].sort((a, b) => b - a));
    expect(result.hits.every((h) => h.label !== undefined && h.label >= 0 && h.label <= 9)).toBe(
      true,
    );
  });

  it('builds an HNSW index whose recall@10 against exact search is reported', async () => {
    const built = await buildGalleryIndex(opened, 'text', 'test', { approximate: true });
    expect(built.recallAt10).toBeGreaterThan(0.5);
    expect(built.recallAt10).toBeLessThanOrEqual(1);
    const query = await readQuery(opened, 'text', 'the digit 3', '--text');
    const result = await retrieve(opened, query, { to: 'text', k: 5, split: 'test' });
    expect(result.hits).toHaveLength(5);
  });

  it('generates a valid PNG from a caption, and a grid of posterior samples', async () => {
    const query = await readQuery(opened, 'text', 'three', '--from');
    const one = await generate(opened, { source: 'query', query, to: 'image' }, 1);
    const file = join(dir, 'three.png');
    await writeArtefacts(one, ['three'], file);
    const meta = await sharp(await readFile(file)).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 28, 28]);
    const many = await generate(opened, { source: 'query', query, to: 'image', samples: 4 }, 1);
    await writeArtefacts(many, [], join(dir, 'grid.png'));
    expect((await sharp(join(dir, 'grid.png')).metadata()).width).toBeGreaterThan(4 * 28);
    const captions = await generate(opened, { source: 'prior', to: 'text', samples: 3 }, 1);
    expect(captions.map((c) => c.kind)).toEqual(['text', 'text', 'text']);
  });

  it('refuses bad queries with UsageErrors that name the flag', async () => {
    const notImage = join(dir, 'notes.png');
    await writeFile(notImage, 'just some text');
    await expect(readQuery(opened, 'image', notImage, '--image')).rejects.toThrow(
      /--image: .*notes\.png is not an image/,
    );
    await expect(readQuery(opened, 'text', '   ', '--text')).rejects.toThrow(
      /--text: the query is empty/,
    );
    await expect(readQuery(opened, 'audio', notImage, '--audio')).rejects.toThrow(
      /--audio: this run has no modality "audio"; it was trained on: image, text/,
    );
    const query = await readQuery(opened, 'text', 'a seven', '--text');
    const tooMany = retrieve(opened, query, { to: 'image', k: 201, split: 'test' });
    await expect(tooMany).rejects.toThrow(UsageError);
    await expect(tooMany).rejects.toThrow(/--k: 201 is larger than the image gallery .*200 items/);
  });

  it('keeps tf.memory().numTensors flat around retrieve and generate', async () => {
    const query = await readQuery(opened, 'text', 'a handwritten two', '--text');
    const once = async () => {
      await retrieve(opened, query, { to: 'image', k: 5, split: 'test' });
      await generate(opened, { source: 'query', query, to: 'image', samples: 3 }, 2);
      await generate(opened, { source: 'query', query, to: 'image' }, 2);
    };
    await once();
    const before = tf.memory().numTensors;
    await once();
    await once();
    expect(tf.memory().numTensors).toBe(before);
  });
});
