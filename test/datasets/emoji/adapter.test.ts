import { beforeAll, describe, expect, it } from 'vitest';
import type { RawDataset, RawSplit } from '../../../src/data/contract.js';
import { ConfigError } from '../../../src/errors/errors.js';
import {
  EMOJI_GROUPS,
  emojiAdapter,
  emojiCaption,
  informativeKeywords,
  parseEmojiSampleId,
  type EmojiSample,
} from '../../../datasets/emoji/index.js';
import { colourOf, FIXTURE_EMOJI, FIXTURE_SUBGROUPS, makeEmojiPackages } from './fixture.js';

let packagesDir: string;
beforeAll(async () => {
  packagesDir = await makeEmojiPackages();
});

const load = (options: object, seed = 1) =>
  emojiAdapter.load(emojiAdapter.optionsSchema.parse({ packagesDir, ...options }), {
    seed,
    baseDir: process.cwd(),
  });

function samplesOf(split: RawSplit): EmojiSample[] {
  return Array.from({ length: split.size }, (_, i) => split.sample(i) as EmojiSample);
}

const splitsOf = (dataset: RawDataset) => ({
  train: samplesOf(dataset.train),
  validation: samplesOf(dataset.validation),
  test: samplesOf(dataset.test),
});

const all = (dataset: RawDataset) => Object.values(splitsOf(dataset)).flat();

function pixelsOf(sample: EmojiSample): { width: number; channels: number; data: Uint8Array } {
  const image = sample.values.image;
  if (image?.kind !== 'decoded') throw new Error('expected decoded pixels');
  return image.value as { width: number; channels: number; data: Uint8Array };
}

const captionOf = (sample: EmojiSample) => {
  const text = sample.values.text;
  if (text?.kind !== 'text') throw new Error('expected a caption');
  return text.text as string;
};

/** RGB of pixel (x, y) of a sample's image. */
function pixel(sample: EmojiSample, x: number, y: number): number[] {
  const { width, data } = pixelsOf(sample);
  const at = (y * width + x) * 3;
  return [data[at], data[at + 1], data[at + 2]] as number[];
}

const byId = (dataset: RawDataset, id: string) => {
  const found = all(dataset).find((s) => s.id === id);
  if (found === undefined) throw new Error(`no sample ${id}`);
  return found;
};

describe('the emoji dataset on a fixture of the three packages', () => {
  it('has one sample per image and vendor, labelled by the nine groups, components left out', async () => {
    const dataset = await load({});
    expect(dataset.modalities).toEqual(['image', 'text']);
    expect(dataset.classes).toEqual([...EMOJI_GROUPS]);
    const samples = all(dataset);
    // 10 emoji (the skin-tone swatch is a component), one with two skin-tone variants: 12
    // forms, each drawn by both vendors but the dog face, which twitter lacks.
    expect(samples).toHaveLength(2 * 12 - 1);
    expect(samples.some((s) => s.group === '1F3FB')).toBe(false);
    const dog = samples.filter((s) => s.group === '1F436');
    expect(dog.map((s) => s.vendor)).toEqual(['google']);
    for (const s of samples) {
      const emoji = FIXTURE_EMOJI.find((e) => e.unified === s.group)!;
      expect(s.groupName).toBe(EMOJI_GROUPS[s.label!]);
      expect(s.subgroupName).toBe(FIXTURE_SUBGROUPS[emoji.subgroup]);
      expect(s.id).toMatch(new RegExp(`^emoji/${s.vendor}/${s.group}`));
      expect(parseEmojiSampleId(s.id)).toMatchObject({ vendor: s.vendor, emoji: s.emoji });
    }
    expect(byId(dataset, 'emoji/google/1F44B').groupName).toBe('people-body');
  });

  it('keeps every base emoji, its skin-tone variants and both vendors in one split', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) {
      const splits = splitsOf(await load({ validationSize: 2, testSize: 3 }, seed));
      const where = new Map<string, string>();
      for (const [name, samples] of Object.entries(splits)) {
        for (const s of samples) {
          expect(where.get(s.group) ?? name).toBe(name);
          where.set(s.group, name);
        }
      }
      const basesIn = (name: string) => [...where].filter(([, n]) => n === name).length;
      expect([basesIn('train'), basesIn('validation'), basesIn('test')]).toEqual([5, 2, 3]);
      const waving = Object.values(splits)
        .flat()
        .filter((s) => s.group === '1F44B');
      expect(waving).toHaveLength(6);
    }
  });

  it('fixes the split by the seed: the same seed gives the same split, another seed another', async () => {
    const idsOf = async (seed: number) => {
      const splits = splitsOf(await load({ validationSize: 2, testSize: 3 }, seed));
      return Object.values(splits).map((samples) => samples.map((s) => s.id));
    };
    const first = await idsOf(7);
    expect(await idsOf(7)).toEqual(first);
    const others = await Promise.all([8, 9, 10].map(idsOf));
    expect(others.some((ids) => JSON.stringify(ids) !== JSON.stringify(first))).toBe(true);
  });

  it('captions with the CLDR label, in the chosen language', async () => {
    const en = await load({});
    expect(captionOf(byId(en, 'emoji/google/1F600'))).toBe('grinning face');
    expect(captionOf(byId(en, 'emoji/twitter/2764-FE0F'))).toBe('red heart');
    expect(captionOf(byId(en, 'emoji/google/1F44B-1F3FF'))).toBe('waving hand: dark skin tone');
    const fr = await load({ language: 'fr' });
    expect(captionOf(byId(fr, 'emoji/google/1F600'))).toBe('visage rieur');
  });

  it('adds k keywords drawn by the seed, never words of the label, different per draw', async () => {
    const options = { caption: 'label-keywords', keywords: 2, captionsPerImage: 4 };
    const dataset = await load(options);
    const again = await load(options);
    const drawsOf = (d: RawDataset) =>
      [0, 1, 2, 3].map((k) => captionOf(byId(d, `emoji/google/1F600#${k}`)));
    const draws = drawsOf(dataset);
    expect(draws).toEqual(drawsOf(again));
    const pool = ['grin', 'happy', 'smile', 'cheerful'];
    for (const caption of draws) {
      const [label, ...keywords] = caption.split(', ');
      expect(label).toBe('grinning face');
      expect(keywords).toHaveLength(2);
      for (const keyword of keywords) expect(pool).toContain(keyword);
    }
    expect(new Set(draws).size).toBeGreaterThan(1);
    // Fewer keywords than asked: all of them.
    expect(captionOf(byId(dataset, 'emoji/google/1F697#0'))).toBe('automobile, car');
    expect(informativeKeywords('grinning face', ['face', 'Grin', 'grinning face', 'grin'])).toEqual(
      ['Grin'],
    );
    const caption = (seed: number) =>
      emojiCaption(
        'dog face',
        ['dog', 'pet', 'puppy', 'woof'],
        { caption: 'label-keywords', keywords: 1 },
        seed,
        'google/1F436',
        0,
      );
    expect(caption(3)).toBe(caption(3));
  });

  it('keeps skin tones as emoji of their own, folds them into the base, or drops them', async () => {
    const waving = async (skinTones: string) =>
      all(await load({ skinTones })).filter((s) => s.group === '1F44B');
    const kept = await waving('keep');
    expect(kept.map((s) => s.emoji).sort()).toEqual([
      '1F44B',
      '1F44B',
      '1F44B-1F3FB',
      '1F44B-1F3FB',
      '1F44B-1F3FF',
      '1F44B-1F3FF',
    ]);
    const folded = await waving('fold');
    expect(folded).toHaveLength(6);
    expect(new Set(folded.map((s) => s.emoji))).toEqual(new Set(['1F44B']));
    expect(new Set(folded.map(captionOf))).toEqual(new Set(['waving hand']));
    expect(folded.map((s) => s.id).sort()).toEqual([
      'emoji/google/1F44B',
      'emoji/google/1F44B/1F44B-1F3FB',
      'emoji/google/1F44B/1F44B-1F3FF',
      'emoji/twitter/1F44B',
      'emoji/twitter/1F44B/1F44B-1F3FB',
      'emoji/twitter/1F44B/1F44B-1F3FF',
    ]);
    expect(parseEmojiSampleId('emoji/twitter/1F44B/1F44B-1F3FF')).toEqual({
      vendor: 'twitter',
      emoji: '1F44B',
      image: '1F44B-1F3FF',
      draw: 0,
    });
    const dropped = await waving('drop');
    expect(dropped.map((s) => s.id)).toEqual(['emoji/google/1F44B', 'emoji/twitter/1F44B']);
  });

  it('composites transparency onto the chosen background', async () => {
    const index = FIXTURE_EMOJI.findIndex((e) => e.unified === '1F34E');
    const colour = colourOf('twitter', index);
    const white = byId(await load({}), 'emoji/twitter/1F34E');
    expect(pixelsOf(white)).toMatchObject({ width: 64, channels: 3 });
    expect(pixelsOf(white).data).toHaveLength(64 * 64 * 3);
    expect(pixel(white, 5, 10)).toEqual([255, 255, 255]);
    expect(pixel(white, 50, 10)).toEqual(colour);
    const grey = byId(await load({ background: '#808000' }), 'emoji/twitter/1F34E');
    expect(pixel(grey, 5, 10)).toEqual([128, 128, 0]);
    expect(pixel(grey, 50, 10)).toEqual(colour);
    // Alpha 128 on the top row: halfway between the colour and the background.
    const half = (c: number, b: number) => Math.round((c * 128 + b * 127) / 255);
    expect(pixel(grey, 5, 0)).toEqual([
      half(colour[0], 128),
      half(colour[1], 128),
      half(colour[2], 0),
    ]);
  });

  it('downscales to 32 px, each pixel the mean of a 2×2 block', async () => {
    const index = FIXTURE_EMOJI.findIndex((e) => e.unified === '1F600');
    const colour = colourOf('google', index);
    const small = byId(await load({ size: 32, background: '#000' }), 'emoji/google/1F600');
    expect(pixelsOf(small)).toMatchObject({ width: 32, channels: 3 });
    expect(pixelsOf(small).data).toHaveLength(32 * 32 * 3);
    expect(pixel(small, 3, 5)).toEqual([0, 0, 0]);
    expect(pixel(small, 20, 5)).toEqual(colour);
    // Row 0 holds 64-px rows 0 (alpha 128) and 1 (opaque on the right).
    const top = colour.map((c) => Math.round((c * 128) / 255));
    expect(pixel(small, 20, 0)).toEqual(colour.map((c, i) => (top[i]! * 2 + c * 2 + 2) >> 2));
  });

  it('labels by subgroup when asked, with the subgroups of the nine groups as classes', async () => {
    const dataset = await load({ labels: 'subgroup' });
    expect(dataset.classes).toEqual(FIXTURE_SUBGROUPS.filter((s) => s !== 'skin-tone'));
    for (const s of all(dataset)) expect(dataset.classes![s.label!]).toBe(s.subgroupName);
  });

  it('keeps the chosen vendors and groups, and a seeded subset of emojiLimit base emoji', async () => {
    const google = all(await load({ vendors: ['google'] }));
    expect(new Set(google.map((s) => s.vendor))).toEqual(new Set(['google']));
    const smileys = all(
      await load({ groups: ['smileys-emotion'], validationSize: 0, testSize: 0 }),
    );
    expect(new Set(smileys.map((s) => s.group))).toEqual(new Set(['1F600', '2764-FE0F']));
    expect(new Set(smileys.map((s) => s.label))).toEqual(new Set([0]));
    const limited = all(await load({ emojiLimit: 4, validationSize: 1, testSize: 1 }, 3));
    expect(new Set(limited.map((s) => s.group)).size).toBe(4);
  });

  it('refuses a language emojibase-data lacks, naming the languages it has', async () => {
    const error = await load({ language: 'xx' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/no language 'xx'.*one of: en, fr\./);
  });

  it('gives ids that say which emoji, whose drawing and which caption draw', () => {
    expect(parseEmojiSampleId('emoji/google/2764-FE0F#3')).toEqual({
      vendor: 'google',
      emoji: '2764-FE0F',
      image: '2764-FE0F',
      draw: 3,
    });
    for (const id of [
      'emoji/apple/1F600',
      'mnist/train/3',
      'emoji/google/1f600',
      'emoji/google/',
    ]) {
      expect(parseEmojiSampleId(id)).toBeUndefined();
    }
  });

  it('refuses options out of bounds when they are read', () => {
    const parse = (options: object) => emojiAdapter.optionsSchema.safeParse(options).success;
    expect(parse({})).toBe(true);
    expect(parse({ size: 48 })).toBe(false);
    expect(parse({ vendors: ['apple'] })).toBe(false);
    expect(parse({ vendors: ['google', 'google'] })).toBe(false);
    expect(parse({ vendors: [] })).toBe(false);
    expect(parse({ background: 'white' })).toBe(false);
    expect(parse({ testSize: 2.5 })).toBe(false);
    expect(parse({ language: '../en' })).toBe(false);
    expect(parse({ imageSize: 64 })).toBe(false);
  });
});
