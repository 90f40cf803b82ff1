import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../src/config/load-config.js';
import { prepareSplit } from '../../../src/crossmodal/index.js';
import {
  instanceRetrieval,
  type InstanceRetrievalSummary,
} from '../../../src/evaluation/crossmodal/instance-retrieval.js';
import { evalJob } from '../../../src/experiment/eval-job.js';
import { captionScores } from '../../../src/evaluation/crossmodal/caption-scores.js';
import { openDataset } from '../../../src/open/open-dataset.js';
import { trainJob } from '../../../src/experiment/train-job.js';
import { openRun, type OpenedRun } from '../../../src/open/open-run.js';
import { emojiInstances, parseEmojiSampleId } from '../../../datasets/emoji/index.js';
import { makeEmojiPackages } from '../../datasets/emoji/fixture.js';

let packagesDir: string;
let runDir: string;
let opened: OpenedRun;

/** An emoji-tiny-like run (poe over 32 px images and captions) on the fixture packages. */
async function trainEmojiRun(): Promise<string> {
  const config = parseConfig(
    {
      name: 'test-emoji-instances',
      // Seed 6 puts in test the dog face (drawn by google only) and the waving hand's skin tones.
      seed: 6,
      backend: 'wasm',
      dataset: {
        id: 'emoji',
        options: { packagesDir, size: 32, validationSize: 1, testSize: 4 },
      },
      modalities: [
        {
          id: 'image',
          options: { width: 32, height: 32, channels: 3, encoder: 'conv', filters: [4, 8] },
        },
        { id: 'text', options: { encoder: 'mean', maxLength: 6, embeddingSize: 8 } },
      ],
      model: { variant: 'poe', latentSize: 4 },
      training: { epochs: 2, batchSize: 8, optimizer: { name: 'adam', learningRate: 0.003 } },
    },
    'emoji instance-retrieval test config',
  );
  const out = join(dirname(packagesDir), 'run');
  const trained = await trainJob({
    config: { config, baseDir: dirname(packagesDir) },
    out,
    quiet: true,
    log: () => {},
  });
  trained.model.dispose();
  return out;
}

beforeAll(async () => {
  packagesDir = await makeEmojiPackages();
  runDir = await trainEmojiRun();
  opened = await openRun(runDir);
}, 120_000);

afterAll(async () => {
  opened?.model.dispose();
  if (packagesDir) await rm(dirname(packagesDir), { recursive: true, force: true });
});

function expectInRange(s: InstanceRetrievalSummary): void {
  const c = s.chance;
  for (const v of [
    s.recallAt1,
    s.recallAt5,
    s.recallAt10,
    s.meanAveragePrecision,
    ...Object.values(c),
  ]) {
    expect(v).toBeGreaterThanOrEqual(0);
    expect(v).toBeLessThanOrEqual(1);
  }
  expect(s.recallAt1).toBeLessThanOrEqual(s.recallAt5);
  expect(s.recallAt5).toBeLessThanOrEqual(s.recallAt10);
  expect(s.medianRank).toBeGreaterThanOrEqual(1);
  expect(s.medianRank).toBeLessThanOrEqual(s.gallery);
}

describe('instance-level and cross-vendor retrieval of an emoji run', () => {
  it('ranks every modality pair and both vendor directions, leaving out emoji one vendor lacks', async () => {
    const test = await prepareSplit(opened, 'test', opened.model.names);
    const ids = test.table.ids;
    const r = instanceRetrieval(opened.model, test.table, emojiInstances)!;
    expect(r.noun).toBe('emoji');
    expect(r.sourceNoun).toBe('vendor');
    expect(Object.keys(r.pairs).sort()).toEqual(['image→text', 'text→image']);
    for (const s of Object.values(r.pairs)) {
      expectInRange(s);
      // Every test item's own emoji is in the other modality's gallery: none is left out.
      expect(s).toMatchObject({ queries: ids.length, excludedQueries: 0, gallery: ids.length });
    }
    // The caption is the emoji's, not the vendor's: only the image is ranked across vendors.
    expect(Object.keys(r.crossSource!)).toEqual(['image']);
    const image = r.crossSource!.image!;
    expect(Object.keys(image)).toEqual(['google→twitter', 'twitter→google']);
    const keys = ids.map((id) => parseEmojiSampleId(id)!);
    const drawnBy = (vendor: string) => keys.filter((k) => k.vendor === vendor);
    for (const [from, to] of [
      ['google', 'twitter'],
      ['twitter', 'google'],
    ] as const) {
      const s = image[`${from}→${to}`]!;
      expectInRange(s);
      const other = new Set(drawnBy(to).map((k) => k.emoji));
      const lacking = drawnBy(from).filter((k) => !other.has(k.emoji)).length;
      // The dog face has no twitter drawing: its google query is left out, and counted.
      expect(lacking).toBe(from === 'google' ? 1 : 0);
      expect(s).toMatchObject({
        queries: drawnBy(from).length - lacking,
        excludedQueries: lacking,
        gallery: drawnBy(to).length,
      });
    }
  });

  it('writes the instance and cross-vendor sections into report.json and report.md', async () => {
    const report = await evalJob(runDir, { log: () => {}, iwSamples: 2, iwRows: 8 });
    expect(report.instanceRetrieval?.pairs['text→image']).toBeDefined();
    const json = JSON.parse(await readFile(join(runDir, 'eval', 'report.json'), 'utf8'));
    expect(json.instanceRetrieval.crossSource.image['google→twitter'].recallAt10).toBeGreaterThan(
      0,
    );
    const md = await readFile(join(runDir, 'eval', 'report.md'), 'utf8');
    expect(md).toContain('## Instance-level retrieval: the same emoji');
    expect(md).toContain('## Cross-vendor retrieval: the same emoji, from another vendor');
    const row = md.split('\n').find((line) => line.startsWith('| image | google → twitter |'));
    const cells = row!.split('|').map((c) => c.trim());
    // | modality | pair | queries | left out | gallery | R@1 | R@5 | R@10 | mAP | median rank |
    for (const v of cells.slice(6, 10).map(Number)) {
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThanOrEqual(1);
    }
  }, 120_000);

  it('scores the captions generated from images by token F1 against each emoji label and keywords', async () => {
    const test = await prepareSplit(opened, 'test', opened.model.names);
    const dataset = await openDataset(opened.config, opened.registry, runDir);
    const scores = (await captionScores(opened.model, test.table, dataset.captionReferences!))!;
    expect(scores.modality).toBe('text');
    const fromImage = scores.from.image!;
    expect(Object.keys(scores.from)).toEqual(['image']);
    expect(fromImage.rows).toBe(test.table.size);
    // Each example is shown with its own emoji's label, read back from its id.
    for (const e of fromImage.examples) {
      const key = parseEmojiSampleId(e.id)!;
      const reference = dataset.captionReferences!.referencesOf(e.id)!;
      expect(reference.label).toBe(e.label);
      expect(key.emoji.length).toBeGreaterThan(0);
    }
    for (const part of [fromImage.label, fromImage.labelAndKeywords]) {
      for (const v of Object.values(part)) {
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThanOrEqual(1);
      }
    }
    // Keywords only add reference words, so a caption's precision cannot fall with them.
    expect(fromImage.labelAndKeywords.precision).toBeGreaterThanOrEqual(fromImage.label.precision);
    const md = await readFile(join(runDir, 'eval', 'report.md'), 'utf8');
    expect(md).toContain("## Generated text: token F1 against the dataset's references");
    expect(md).toMatch(/\| image \| \d+ \| [\d.]+ \/ [\d.]+ \/ \*\*[\d.]+\*\* \|/);
  });
});
