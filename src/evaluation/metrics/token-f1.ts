/**
 * Token F1 of a generated caption against a reference (SQuAD's answer score): the caption and
 * the reference as bags of lower-case word tokens, precision = shared / generated, recall =
 * shared / reference, F1 their harmonic mean. A word counts as often as it occurs in both.
 */

/** Lower-case word tokens: runs of letters and digits (Unicode), punctuation dropped. */
export function wordTokens(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

export interface TokenOverlap {
  readonly precision: number;
  readonly recall: number;
  readonly f1: number;
}

export function tokenOverlap(
  generated: readonly string[],
  reference: readonly string[],
): TokenOverlap {
  if (generated.length === 0 || reference.length === 0) {
    // Both empty: nothing was to be said and nothing was.
    const same = generated.length === reference.length ? 1 : 0;
    return { precision: same, recall: same, f1: same };
  }
  const left = new Map<string, number>();
  for (const token of reference) left.set(token, (left.get(token) ?? 0) + 1);
  let shared = 0;
  for (const token of generated) {
    const count = left.get(token) ?? 0;
    if (count > 0) {
      shared++;
      left.set(token, count - 1);
    }
  }
  const precision = shared / generated.length;
  const recall = shared / reference.length;
  return {
    precision,
    recall,
    f1: shared === 0 ? 0 : (2 * precision * recall) / (precision + recall),
  };
}
