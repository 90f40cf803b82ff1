/**
 * The text modality's corruptions for robustness curves: words dropped and letters mistyped in
 * the raw caption, which is then tokenised like any other. Each draws only from the SeededRandom
 * it is given, so a curve is reproducible.
 */
import type { Corruption, SeededRandom } from 'mmae/portable';
import { UsageError } from 'mmae/portable';
import { readCaption } from './raw-text.js';
import type { TextIo } from './text-io.js';

function checkRate(fn: string, rate: number): void {
  if (!Number.isFinite(rate) || rate < 0 || rate > 1) {
    throw new UsageError(`${fn}: rate is ${rate}; it must be in [0, 1].`);
  }
}

/**
 * Drops each word with probability `rate`. Keeps at least one word of a non-empty text, since an
 * empty caption is a missing modality, not a noisy one.
 */
export function dropWords(text: string, rate: number, rng: SeededRandom): string {
  checkRate('dropWords', rate);
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return '';
  const kept = words.filter(() => rng.next() >= rate);
  return kept.length > 0 ? kept.join(' ') : rng.pick(words);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Corrupts each letter with probability `rate`: half the time it swaps with the next character,
 * otherwise it is replaced by a random lowercase letter. Whitespace is never touched, so word
 * count is preserved.
 */
export function typos(text: string, rate: number, rng: SeededRandom): string {
  checkRate('typos', rate);
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    if (/\s/.test(chars[i] as string) || rng.next() >= rate) continue;
    const next = chars[i + 1];
    if (rng.next() < 0.5 && next !== undefined && !/\s/.test(next)) {
      chars[i + 1] = chars[i] as string;
      chars[i] = next;
      i++; // the swapped pair is one typo; do not corrupt its second half again
    } else {
      chars[i] = LETTERS[rng.int(LETTERS.length)] as string;
    }
  }
  return chars.join('');
}

/** The curves a text modality gets in `mmae eval`; `io` reads caption files (Node). */
export const textCorruptions = (io: TextIo = {}): readonly Corruption[] => [
  {
    name: 'word-dropout',
    on: 'raw',
    levels: [0, 0.2, 0.4, 0.6],
    axis: 'word drop-out probability',
    corrupt: async (raw, rate, rng, source) => ({
      kind: 'text',
      text: dropWords(await readCaption(raw, source, io), rate, rng),
    }),
  },
  {
    name: 'typos',
    on: 'raw',
    levels: [0, 0.1, 0.2, 0.4],
    axis: 'typo rate per letter',
    corrupt: async (raw, rate, rng, source) => ({
      kind: 'text',
      text: typos(await readCaption(raw, source, io), rate, rng),
    }),
  },
];

/** The curves for captions given as strings or bytes. */
export const TEXT_CORRUPTIONS = textCorruptions();
