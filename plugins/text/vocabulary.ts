/**
 * The vocabulary: special tokens at fixed ids, then training words by falling frequency. A
 * vocabulary is a plain string array (index = token id) so it serialises into the run as is.
 */
export const PAD_TOKEN = '<pad>';
export const UNK_TOKEN = '<unk>';
export const BOS_TOKEN = '<bos>';
export const EOS_TOKEN = '<eos>';

/** In id order: <pad> must be 0 so that zero-filled features read as padding. */
export const SPECIAL_TOKENS = [PAD_TOKEN, UNK_TOKEN, BOS_TOKEN, EOS_TOKEN] as const;
export const PAD_ID = 0;
export const UNK_ID = 1;
export const BOS_ID = 2;
export const EOS_ID = 3;

export interface VocabularyLimits {
  /** Words seen fewer times than this are left out (they encode as <unk>). */
  readonly minCount: number;
  /** Total size, special tokens included. */
  readonly maxVocab: number;
}

/**
 * Builds a vocabulary from tokenised training captions. Ties in frequency are broken by code
 * point order, so the same captions always give the same ids whatever their order.
 */
export function fitVocabulary(
  tokenisedCaptions: Iterable<readonly string[]>,
  limits: VocabularyLimits,
): string[] {
  const counts = new Map<string, number>();
  for (const tokens of tokenisedCaptions) {
    for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  }
  const words = [...counts.entries()]
    .filter(([, count]) => count >= limits.minCount)
    .sort(([a, ca], [b, cb]) => cb - ca || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, Math.max(0, limits.maxVocab - SPECIAL_TOKENS.length))
    .map(([word]) => word);
  return [...SPECIAL_TOKENS, ...words];
}
