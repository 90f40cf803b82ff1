import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildGalleryIndex,
  crossModalReport,
  generate,
  prepareSplit,
  readQuery,
  retrieve,
  writeArtefacts,
  type CrossModalReport,
} from '../../src/crossmodal/index.js';
import { retrievalTable } from '../../src/crossmodal/report/retrieval-table.js';
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

/** Chance class-level mAP: a random ranking's average precision is the class's share. */
function chanceMap(labels: Int32Array): number {
  let sum = 0;
  for (const label of labels) sum += labels.filter((l) => l === label).length / labels.length;
  return sum / labels.length;
}

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

  it('retrieves images of the caption digit better than chance (class-level mAP)', async () => {
    const test = await prepareSplit(opened, 'test', opened.model.names);
    const table = retrievalTable(opened.model, test.table);
    const textToImage = table['text→image']!;
    for (const scores of [textToImage.classLevel!, textToImage.instanceLevel!]) {
      for (const v of [
        scores.recallAt1,
        scores.recallAt5,
        scores.recallAt10,
        scores.meanAveragePrecision,
      ]) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    // After 2 epochs on 600 pairs the ranking is already better than chance on average (mAP 0.16
    // vs 0.10 measured), though Recall@10 is not yet: a few hub images top most lists.
    expect(textToImage.classLevel!.meanAveragePrecision).toBeGreaterThan(
      1.3 * chanceMap(test.table.labels),
    );
    expect(Object.keys(table).sort()).toEqual(['image→text', 'text→image']);
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

  it('reports coherence, retrieval, robustness curves and latent maps for the run', async () => {
    const test = await prepareSplit(opened, 'test', opened.model.names);
    const train = await prepareSplit(opened, 'train', opened.model.names);
    const before = tf.memory().numTensors;
    const outDir = join(dir, 'eval');
    const report: CrossModalReport = await crossModalReport(opened, test.table, train.table, {
      outDir,
      rawTest: test.raw,
      robustnessRows: 100,
      priorSamples: 200,
    });
    expect(tf.memory().numTensors).toBe(before);
    const shares = [
      ...Object.values(report.coherence).flatMap((row) => Object.values(row)),
      report.jointCoherence!,
      ...report.robustness.flatMap((c) => [...c.coherence, ...c.recallAt10]),
    ];
    expect(shares.length).toBeGreaterThan(10);
    for (const v of shares) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
    expect(Object.keys(report.coherence.image!).sort()).toEqual(['image', 'image+text', 'text']);
    expect(report.robustness.map((c) => `${c.modality}/${c.noise}`)).toEqual([
      'image/gaussian',
      'image/occlusion',
      'text/word-dropout',
      'text/typos',
    ]);
    // The judges themselves must work, or coherence would measure nothing.
    expect(report.classifierAccuracy.image).toBeGreaterThan(0.6);
    expect(report.classifierAccuracy.text).toBeGreaterThan(0.9);
    for (const file of [
      'latent-map-pca.png',
      'latent-map-umap.png',
      'robustness-image-gaussian.png',
    ]) {
      expect((await sharp(join(outDir, file)).metadata()).format).toBe('png');
    }
    const judge = JSON.parse(await readFile(join(outDir, 'classifiers', 'text.json'), 'utf8'));
    expect(judge.format).toBe('mmae-digit-classifier@1');
  });
});
