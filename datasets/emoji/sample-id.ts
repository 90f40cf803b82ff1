/**
 * Sample ids of the emoji dataset: `emoji/<vendor>/<emoji>`, then `/<image>` when the image is
 * another form than the emoji it stands for (a skin-tone variant folded into its base), then
 * `#<draw>` when an image has several captions. A feature table keeps only ids, so they carry
 * what instance-level and cross-vendor retrieval need: which emoji, drawn by whom.
 */
import { EMOJI_VENDORS, type EmojiVendor } from './vocabulary.js';

export interface EmojiSampleKey {
  readonly vendor: EmojiVendor;
  /** The emoji the image stands for: the same for both vendors' drawings. */
  readonly emoji: string;
  /** The sequence of the form drawn: `emoji`, or the skin-tone variant folded into it. */
  readonly image: string;
  /** The caption draw (0 with one caption per image). */
  readonly draw: number;
}

export function emojiSampleId(key: EmojiSampleKey, captionsPerImage: number): string {
  const image = key.image === key.emoji ? '' : `/${key.image}`;
  const draw = captionsPerImage === 1 ? '' : `#${key.draw}`;
  return `emoji/${key.vendor}/${key.emoji}${image}${draw}`;
}

const SEQUENCE = '[0-9A-F]{1,6}(?:-[0-9A-F]{1,6})*';
const ID = new RegExp(`^emoji/([a-z]+)/(${SEQUENCE})(?:/(${SEQUENCE}))?(?:#(\\d+))?$`);

/** The parts of an emoji sample id; undefined when `id` is not one. */
export function parseEmojiSampleId(id: string): EmojiSampleKey | undefined {
  const match = ID.exec(id);
  if (match === null || !EMOJI_VENDORS.includes(match[1] as EmojiVendor)) return undefined;
  const emoji = match[2] as string;
  return {
    vendor: match[1] as EmojiVendor,
    emoji,
    image: match[3] ?? emoji,
    draw: match[4] === undefined ? 0 : Number(match[4]),
  };
}
