/**
 * Captions for digit classes, drawn from templates. A template holds placeholders:
 * {word} → "seven", {digit} → "7", {a_word} → "a seven" / "an eight", {a_digit} → "a 7" / "an 8".
 * Which template a sample gets is fixed by the seed and the sample's key, so captions are
 * reproducible and independent of how the split was subsampled.
 */
import { deriveSeed, SeededRandom } from 'mmae';
import { digitWord } from '../digits.js';

export const DEFAULT_CAPTION_TEMPLATES: readonly string[] = [
  'a handwritten {word}',
  'the digit {digit}',
  'number {word}',
  '{a_word}',
  'an image of the digit {word}',
  'this is {a_digit}',
  'a picture of {a_word}',
  'the number {word} written by hand',
];

const PLACEHOLDER = /\{([a-z_]+)\}/g;
const KNOWN_PLACEHOLDERS = ['word', 'digit', 'a_word', 'a_digit'];

function withArticle(text: string): string {
  return (/^(8|eight|11|18)/.test(text) ? 'an ' : 'a ') + text;
}

/** Why `template` is unusable, or undefined when it is fine. */
export function templateProblem(template: string): string | undefined {
  const names = [...template.matchAll(PLACEHOLDER)].map((m) => m[1] as string);
  const unknown = names.filter((n) => !KNOWN_PLACEHOLDERS.includes(n));
  if (unknown.length > 0) {
    return `unknown placeholder {${unknown[0]}}; use {word}, {digit}, {a_word} or {a_digit}`;
  }
  if (names.length === 0) {
    return 'no placeholder, so the caption would not name the digit; add {word} or {digit}';
  }
  return undefined;
}

/** Fills a template for `digit`. */
export function renderCaption(template: string, digit: number): string {
  const word = digitWord(digit);
  const values: Record<string, string> = {
    word,
    digit: String(digit),
    a_word: withArticle(word),
    a_digit: withArticle(String(digit)),
  };
  return template.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
}

/**
 * Caption number `variant` of the sample keyed `key`. Variants 0..templates-1 of one sample use
 * distinct templates (a seeded permutation), so several captions per image differ.
 */
export function captionFor(
  digit: number,
  key: string,
  variant: number,
  seed: number,
  templates: readonly string[] = DEFAULT_CAPTION_TEMPLATES,
): string {
  const order = new SeededRandom(deriveSeed(seed, 'caption', key)).permutation(templates.length);
  const template = templates[order[variant % templates.length] as number] as string;
  return renderCaption(template, digit);
}
