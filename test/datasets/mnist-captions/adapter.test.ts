import { describe, expect, it } from 'vitest';
import type { DecodedValue, RawSplit } from '../../../src/data/contract.js';
import type { DecodedImage } from '../../../plugins/image/decoded-image.js';
import {
  captionFor,
  DEFAULT_CAPTION_TEMPLATES,
  mnistCaptionsAdapter,
  renderCaption,
} from '../../../datasets/mnist-captions/index.js';
import { DIGIT_CLASSES } from '../../../datasets/digits.js';

const load = (options: object, seed = 3) =>
  mnistCaptionsAdapter.load(mnistCaptionsAdapter.optionsSchema.parse(options), {
    seed,
    baseDir: process.cwd(),
  });

function captions(split: RawSplit, count = split.size): string[] {
  return Array.from({ length: count }, (_, i) => {
    const text = split.sample(i).values.text;
    if (text?.kind !== 'text' || typeof text.text !== 'string') throw new Error('no caption');
    return text.text;
  });
}

describe('caption templates', () => {
  it('offer at least six phrasings, each naming the digit', () => {
    expect(DEFAULT_CAPTION_TEMPLATES.length).toBeGreaterThanOrEqual(6);
    const sevens = DEFAULT_CAPTION_TEMPLATES.map((t) => renderCaption(t, 7));
    expect(new Set(sevens).size).toBe(DEFAULT_CAPTION_TEMPLATES.length);
    for (const caption of sevens) expect(caption).toMatch(/seven|7/);
    expect(sevens).toContain('a handwritten seven');
    expect(sevens).toContain('the digit 7');
  });

  it('use the right article for eight', () => {
    expect(renderCaption('{a_word}', 8)).toBe('an eight');
    expect(renderCaption('this is {a_digit}', 8)).toBe('this is an 8');
    expect(renderCaption('{a_word}', 7)).toBe('a seven');
  });

  it('pick distinct templates for the variants of one image', () => {
    const variants = [0, 1, 2, 3].map((v) => captionFor(4, 'mnist/train/9', v, 1));
    expect(new Set(variants).size).toBe(4);
  });
});

describe('mnist-captions adapter', () => {
  it('gives every image a caption with its own digit word or numeral, deterministically', async () => {
    const a = await load({ trainLimit: 300, testLimit: 100, validationSize: 50 });
    const b = await load({ trainLimit: 300, testLimit: 100, validationSize: 50 });
    expect(a.modalities).toEqual(['image', 'text']);
    expect(captions(a.train)).toEqual(captions(b.train));
    for (const split of [a.train, a.validation, a.test]) {
      captions(split).forEach((caption, i) => {
        const label = split.sample(i).label!;
        expect(caption.includes(DIGIT_CLASSES[label]!) || caption.includes(String(label))).toBe(
          true,
        );
      });
    }
    expect(captions(a.test, 1)[0]).toMatch(/seven|7/);
    expect(new Set(captions(a.train)).size).toBeGreaterThan(30);
  });

  it('draws other captions under another seed', async () => {
    const a = await load({ testLimit: 50, trainLimit: 10, validationSize: 10 }, 1);
    const b = await load({ testLimit: 50, trainLimit: 10, validationSize: 10 }, 2);
    expect(captions(a.test)).not.toEqual(captions(b.test));
  });

  it('repeats each image captionsPerImage times with distinct captions', async () => {
    const dataset = await load({
      testLimit: 10,
      trainLimit: 10,
      validationSize: 10,
      captionsPerImage: 3,
    });
    expect(dataset.test.size).toBe(30);
    const ids = Array.from({ length: 3 }, (_, i) => dataset.test.sample(i).id);
    expect(ids).toEqual(['mnist/test/0#0', 'mnist/test/0#1', 'mnist/test/0#2']);
    expect(new Set(captions(dataset.test, 3)).size).toBe(3);
    const pixels = (i: number) =>
      (dataset.test.sample(i).values.image as DecodedValue).value as DecodedImage;
    expect(pixels(2).data.byteOffset).toBe(pixels(0).data.byteOffset);
    expect(pixels(3).data.byteOffset).toBe(pixels(0).data.byteOffset + 784);
  });

  it('uses custom templates and refuses ones that cannot name the digit', async () => {
    const dataset = await load({
      testLimit: 5,
      trainLimit: 5,
      validationSize: 5,
      templates: ['digit={digit}'],
    });
    expect(captions(dataset.test)).toEqual(['digit=7', 'digit=2', 'digit=1', 'digit=0', 'digit=4']);
    expect(() =>
      mnistCaptionsAdapter.optionsSchema.parse({ templates: ['just a number'] }),
    ).toThrow(/no placeholder/);
    expect(() => mnistCaptionsAdapter.optionsSchema.parse({ templates: ['a {numbr}'] })).toThrow(
      /unknown placeholder \{numbr\}/,
    );
  });
});
