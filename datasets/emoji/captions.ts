/**
 * Captions of emoji images. 'label' is the CLDR name ("face with diagonal mouth");
 * 'label-keywords' adds k of the emoji's CLDR keywords ("face with diagonal mouth, skeptical,
 * meh, unsure"), drawn by a generator seeded by the run seed, the image and the draw number, so
 * a caption is reproducible and independent of which other samples a split holds.
 */
import { deriveSeed, SeededRandom } from 'mmae';

export interface CaptionForm {
  readonly caption: 'label' | 'label-keywords';
  /** Keywords drawn into a 'label-keywords' caption. */
  readonly keywords: number;
}

/** Keywords that add to the label: not the label itself, nor one of its words. */
export function informativeKeywords(label: string, keywords: readonly string[]): string[] {
  const words = new Set(label.toLowerCase().split(/[\s:,]+/u));
  const seen = new Set<string>();
  return keywords.filter((keyword) => {
    const key = keyword.toLowerCase();
    if (key === label.toLowerCase() || words.has(key) || seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The caption of image `key` (vendor and sequence) for draw `draw` (the sample's variant; the
 * epoch, for a data path that redraws per epoch). Fewer keywords than asked means all of them.
 */
export function emojiCaption(
  label: string,
  keywords: readonly string[],
  form: CaptionForm,
  seed: number,
  key: string,
  draw: number,
): string {
  if (form.caption === 'label') return label;
  const pool = informativeKeywords(label, keywords);
  const random = new SeededRandom(deriveSeed(seed, 'emoji-caption', key, draw));
  const order = random.permutation(pool.length);
  const picked = Array.from(order.subarray(0, form.keywords), (i) => pool[i] as string);
  return [label, ...picked].join(', ');
}
