import { describe, expect, it } from 'vitest';
import { emojiInstances, emojiSampleId } from '../../../datasets/emoji/index.js';

const id = (vendor: 'google' | 'twitter', emoji: string, image = emoji, draw = 0) =>
  emojiSampleId({ vendor, emoji, image, draw }, draw === 0 ? 1 : 3);

describe('the instances the emoji dataset declares', () => {
  it('makes both vendors’ drawings and every caption draw of an emoji one instance', () => {
    expect(emojiInstances.instanceOf(id('google', '1F600'))).toBe('1F600');
    expect(emojiInstances.instanceOf(id('twitter', '1F600', '1F600', 2))).toBe('1F600');
    expect(emojiInstances.sources?.sourceOf(id('twitter', '1F600'))).toBe('twitter');
  });

  it('keeps a kept skin tone an emoji of its own, and counts a folded one as its base', () => {
    // skinTones: keep — the variant is its own emoji (its caption names the tone).
    expect(emojiInstances.instanceOf(id('google', '1F44B-1F3FB'))).toBe('1F44B-1F3FB');
    // skinTones: fold — the variant's image stands for its base.
    expect(emojiInstances.instanceOf(id('google', '1F44B', '1F44B-1F3FB'))).toBe('1F44B');
  });

  it('describes the image by vendor, not the caption, and knows no id of another dataset', () => {
    expect(emojiInstances.sources?.modalities).toEqual(['image']);
    expect(emojiInstances.instanceOf('mnist/test/3')).toBeUndefined();
    expect(emojiInstances.sources?.sourceOf('mnist/test/3')).toBeUndefined();
  });
});
