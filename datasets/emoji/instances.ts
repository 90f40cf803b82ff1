/**
 * What the emoji dataset tells the evaluation about its samples, read from their ids: which emoji
 * each shows (its instance) and whose drawing it is (its source).
 *
 * The instance is the sample's `emoji`: both vendors' drawings of it, and all its captions, are
 * the same thing. With `skinTones: keep` a skin-tone variant is an emoji of its own: its caption
 * names the tone ("waving hand: dark skin tone"), so counting the other tones relevant would
 * reward ignoring the word that tells them apart. With `fold` the variants are captioned and
 * identified as their base, so they count as the base emoji.
 *
 * The vendor describes the image only: the caption is the emoji's, whoever drew it.
 */
import type { CaptionReferences, SampleInstances } from 'mmae';
import { parseEmojiSampleId } from './sample-id.js';

export const emojiInstances: SampleInstances = {
  noun: 'emoji',
  instanceOf: (id) => parseEmojiSampleId(id)?.emoji,
  sources: {
    noun: 'vendor',
    modalities: ['image'],
    sourceOf: (id) => parseEmojiSampleId(id)?.vendor,
  },
};

/** What an emoji's caption should say: its label (the folded base's, under `fold`) and keywords. */
export interface EmojiReference {
  readonly label: string;
  readonly keywords: readonly string[];
}

/** Caption references read from sample ids, for the emoji of this dataset's splits. */
export function emojiCaptionReferences(
  byEmoji: ReadonlyMap<string, EmojiReference>,
): CaptionReferences {
  return {
    modality: 'text',
    referencesOf: (id) => {
      const emoji = parseEmojiSampleId(id)?.emoji;
      return emoji === undefined ? undefined : byEmoji.get(emoji);
    },
  };
}
