import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RawSplit } from '../../../src/data/contract.js';
import { mnistFsddAdapter } from '../../../datasets/mnist-fsdd/index.js';
import { loadMnistArrays } from '../../../datasets/mnist/index.js';
import { DIGIT_CLASSES } from '../../../datasets/digits.js';

const load = (options: object, seed = 1) =>
  mnistFsddAdapter.load(mnistFsddAdapter.optionsSchema.parse(options), {
    seed,
    baseDir: process.cwd(),
  });

/** A fake FSDD folder with `takes` empty recordings per digit for each speaker. */
function fakeFsdd(speakers: string[], takes: number): string {
  const root = mkdtempSync(join(tmpdir(), 'mmae-mnist-fsdd-'));
  mkdirSync(join(root, 'recordings'));
  for (const speaker of speakers) {
    for (let digit = 0; digit < 10; digit++) {
      for (let take = 0; take < takes; take++) {
        writeFileSync(join(root, 'recordings', `${digit}_${speaker}_${take}.wav`), '');
      }
    }
  }
  return root;
}

function samples(split: RawSplit) {
  return Array.from({ length: split.size }, (_, i) => split.sample(i));
}

/** `mnist/train/123` from an id like `7_amy_0.wav+mnist/train/123`. */
function imageOf(id: string): { file: 'train' | 'test'; index: number } {
  const [, file, index] = /\+mnist\/(train|test)\/(\d+)$/.exec(id)!;
  return { file: file as 'train' | 'test', index: Number(index) };
}

describe('mnist-fsdd adapter', () => {
  const root = fakeFsdd(['amy', 'ben', 'cy', 'dee'], 5);

  it('pairs each recording with an MNIST image of the same digit, from the right MNIST file', async () => {
    const mnist = await loadMnistArrays();
    const dataset = await load({ dir: root });
    expect(dataset.modalities).toEqual(['image', 'audio']);
    for (const [name, split] of Object.entries({
      train: dataset.train,
      validation: dataset.validation,
      test: dataset.test,
    })) {
      for (const sample of samples(split)) {
        const image = imageOf(sample.id);
        expect(image.file).toBe(name === 'test' ? 'test' : 'train');
        expect(mnist[image.file].labels[image.index]).toBe(sample.label);
        expect(sample.id.startsWith(`${sample.label}_${sample.group}_`)).toBe(true);
        expect(sample.values.audio?.kind).toBe('file');
        expect(sample.values.image?.kind).toBe('decoded');
      }
    }
    expect(new Set(samples(dataset.test).map((s) => s.group))).toEqual(new Set(['dee']));
  });

  it('keeps train and validation images disjoint and the pairing fixed by the seed', async () => {
    const a = await load({ dir: root, pairsPerRecording: 3 });
    const b = await load({ dir: root, pairsPerRecording: 3 });
    const c = await load({ dir: root, pairsPerRecording: 3 }, 2);
    const ids = (split: RawSplit) => samples(split).map((s) => s.id);
    expect(ids(a.train)).toEqual(ids(b.train));
    expect(ids(a.train)).not.toEqual(ids(c.train));
    expect(a.train.size).toBe(2 * 50 * 3);
    const trainImages = new Set(ids(a.train).map((id) => imageOf(id).index));
    expect(trainImages.size).toBe(a.train.size);
    expect(ids(a.validation).some((id) => trainImages.has(imageOf(id).index))).toBe(false);
  });

  it('adds a caption naming the digit when captions are on', async () => {
    const dataset = await load({ dir: root, captions: true });
    expect(dataset.modalities).toEqual(['image', 'audio', 'text']);
    for (const sample of samples(dataset.validation)) {
      const text = sample.values.text;
      expect(text?.kind).toBe('text');
      const caption = text?.kind === 'text' ? String(text.text) : '';
      const label = sample.label!;
      expect(caption.includes(DIGIT_CLASSES[label]!) || caption.includes(String(label))).toBe(true);
    }
  });

  const shared = resolve('../shared/datasets/fsdd');
  it.skipIf(!existsSync(shared))('pairs the whole shared FSDD copy', async () => {
    const dataset = await load({ dir: shared, pairsPerRecording: 2 });
    expect(dataset.train.size + dataset.validation.size + dataset.test.size).toBe(5000);
  });
});
