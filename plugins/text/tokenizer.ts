/**
 * Word-level tokenizer: NFKC-normalised, optionally lower-cased text split into words (letters,
 * digits and inner apostrophes, as in "don't") and single punctuation marks. Encoded captions
 * are fixed-length id rows: the first `maxLength - 1` tokens, then <eos>, then <pad>.
 */
import { EOS_ID, PAD_ID, SPECIAL_TOKENS, UNK_ID, UNK_TOKEN } from './vocabulary.js';

export interface TokenizerRules {
  readonly lowercase: boolean;
  readonly punctuation: 'split' | 'strip';
  /** Ids per encoded caption, including <eos>. */
  readonly maxLength: number;
}

const WORD = String.raw`[\p{L}\p{N}\p{M}]+(?:['’][\p{L}\p{N}\p{M}]+)*`;
const PUNCTUATION_MARK = String.raw`[^\s\p{L}\p{N}\p{M}]`;
const SPLIT_PATTERN = new RegExp(`${WORD}|${PUNCTUATION_MARK}`, 'gu');
const STRIP_PATTERN = new RegExp(WORD, 'gu');
/** Marks written flush against the word before them when a caption is rendered. */
const CLOSING_MARK = /^[.,!?;:%)\]}…'’]$/u;

/**
 * Splits text into at most `limit` tokens. Stops scanning at the limit, so a 100,000-character
 * caption costs no more than a short one beyond normalisation.
 */
export function splitIntoTokens(text: string, rules: TokenizerRules, limit: number): string[] {
  let normalised = text.normalize('NFKC');
  if (rules.lowercase) normalised = normalised.toLowerCase();
  const pattern = new RegExp(rules.punctuation === 'split' ? SPLIT_PATTERN : STRIP_PATTERN);
  const tokens: string[] = [];
  while (tokens.length < limit) {
    const match = pattern.exec(normalised);
    if (match === null) break;
    tokens.push(match[0]);
  }
  return tokens;
}

export class TextTokenizer {
  private readonly idOf: ReadonlyMap<string, number>;

  constructor(
    /** Token per id; ids 0..3 are the special tokens. */
    readonly vocabulary: readonly string[],
    readonly rules: TokenizerRules,
  ) {
    this.idOf = new Map(vocabulary.map((token, id) => [token, id]));
  }

  get size(): number {
    return this.vocabulary.length;
  }

  /** The words the encoder will see: at most maxLength - 1, leaving room for <eos>. */
  tokenize(text: string): string[] {
    return splitIntoTokens(text, this.rules, this.rules.maxLength - 1);
  }

  /** Text → maxLength ids: tokens (unknown words as <unk>), <eos>, then <pad>. */
  encode(text: string): Int32Array {
    const ids = new Int32Array(this.rules.maxLength).fill(PAD_ID);
    const tokens = this.tokenize(text);
    tokens.forEach((token, i) => {
      ids[i] = this.idOf.get(token) ?? UNK_ID;
    });
    ids[tokens.length] = EOS_ID;
    return ids;
  }

  /**
   * Ids → text, reading up to the first <eos>. <pad> and <bos> are dropped; <unk> stays visible
   * so a reader sees that a word was there. Out-of-range ids read as <unk>.
   */
  decode(ids: ArrayLike<number>): string {
    const words: string[] = [];
    for (let i = 0; i < ids.length; i++) {
      const id = Math.round(ids[i] as number);
      if (id === EOS_ID) break;
      if (id === UNK_ID) words.push(UNK_TOKEN);
      else if (id >= SPECIAL_TOKENS.length && id < this.vocabulary.length) {
        words.push(this.vocabulary[id] as string);
      } else if (id < 0 || id >= this.vocabulary.length) words.push(UNK_TOKEN);
    }
    return joinTokens(words);
  }
}

/** Joins tokens with spaces, writing closing punctuation flush against the word before it. */
function joinTokens(tokens: readonly string[]): string {
  let text = '';
  for (const token of tokens) {
    if (text === '' || CLOSING_MARK.test(token)) text += token;
    else text += ` ${token}`;
  }
  return text;
}
