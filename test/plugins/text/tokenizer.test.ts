import { describe, expect, it } from 'vitest';
import {
  splitIntoTokens,
  TextTokenizer,
  type TokenizerRules,
} from '../../../plugins/text/tokenizer.js';
import {
  EOS_ID,
  fitVocabulary,
  PAD_ID,
  SPECIAL_TOKENS,
  UNK_ID,
} from '../../../plugins/text/vocabulary.js';

const rules: TokenizerRules = { lowercase: true, punctuation: 'split', maxLength: 8 };

function tokenizerFor(captions: readonly string[], r: TokenizerRules = rules): TextTokenizer {
  const tokenised = captions.map((c) => splitIntoTokens(c, r, r.maxLength - 1));
  return new TextTokenizer(fitVocabulary(tokenised, { minCount: 1, maxVocab: 1000 }), r);
}

describe('text tokenizer', () => {
  it('lower-cases and splits punctuation off as separate tokens', () => {
    expect(splitIntoTokens('The digit, SEVEN!', rules, 10)).toEqual([
      'the',
      'digit',
      ',',
      'seven',
      '!',
    ]);
  });

  it('keeps inner apostrophes and digits inside words', () => {
    expect(splitIntoTokens("It's the 7th", rules, 10)).toEqual(["it's", 'the', '7th']);
  });

  it('strips punctuation when configured to', () => {
    const strip = { ...rules, punctuation: 'strip' as const };
    expect(splitIntoTokens('a, b. c!', strip, 10)).toEqual(['a', 'b', 'c']);
  });

  it('keeps case when lower-casing is off', () => {
    expect(splitIntoTokens('Seven', { ...rules, lowercase: false }, 10)).toEqual(['Seven']);
  });

  it('puts the special tokens first with <pad> at id 0', () => {
    const vocabulary = fitVocabulary([['b', 'a', 'b']], { minCount: 1, maxVocab: 10 });
    expect(vocabulary.slice(0, 4)).toEqual(['<pad>', '<unk>', '<bos>', '<eos>']);
    expect(vocabulary[PAD_ID]).toBe('<pad>');
    expect(vocabulary.slice(4)).toEqual(['b', 'a']);
  });

  it('orders words by frequency then code point, whatever the caption order', () => {
    const a = fitVocabulary([['z', 'y'], ['x'], ['y']], { minCount: 1, maxVocab: 10 });
    const b = fitVocabulary([['y'], ['x'], ['y', 'z']], { minCount: 1, maxVocab: 10 });
    expect(a).toEqual(b);
    expect(a.slice(4)).toEqual(['y', 'x', 'z']);
  });

  it('drops words below the minimum count and caps the vocabulary size', () => {
    const counts = [['a', 'a', 'a', 'b', 'b', 'c']];
    expect(fitVocabulary(counts, { minCount: 2, maxVocab: 10 }).slice(4)).toEqual(['a', 'b']);
    expect(fitVocabulary(counts, { minCount: 1, maxVocab: 5 })).toHaveLength(5);
  });

  it('round-trips a caption through encode and decode', () => {
    const tokenizer = tokenizerFor(['a handwritten seven.', 'the digit 7']);
    expect(tokenizer.decode(tokenizer.encode('A handwritten seven.'))).toBe('a handwritten seven.');
    expect(tokenizer.decode(tokenizer.encode('the digit 7'))).toBe('the digit 7');
  });

  it('encodes to maxLength ids: tokens, then <eos>, then <pad>', () => {
    const tokenizer = tokenizerFor(['the digit 7']);
    const ids = Array.from(tokenizer.encode('the digit 7'));
    expect(ids).toHaveLength(8);
    expect(ids.slice(3)).toEqual([EOS_ID, PAD_ID, PAD_ID, PAD_ID, PAD_ID]);
    expect(ids.slice(0, 3).every((id) => id >= SPECIAL_TOKENS.length)).toBe(true);
  });

  it('maps unknown words to <unk> and renders them visibly', () => {
    const tokenizer = tokenizerFor(['the digit 7']);
    const ids = tokenizer.encode('the zebra 7');
    expect(ids[1]).toBe(UNK_ID);
    expect(tokenizer.decode(ids)).toBe('the <unk> 7');
  });

  it('truncates long captions to maxLength - 1 tokens and still ends with <eos>', () => {
    const tokenizer = tokenizerFor(['one two three four five six seven eight nine']);
    const ids = tokenizer.encode('one two three four five six seven eight nine');
    expect(ids[7]).toBe(EOS_ID);
    expect(tokenizer.decode(ids)).toBe('one two three four five six seven');
  });

  it('encodes a 100,000-character caption without trouble', () => {
    const tokenizer = tokenizerFor(['word']);
    const huge = 'word '.repeat(20_000);
    expect(huge).toHaveLength(100_000);
    const ids = tokenizer.encode(huge);
    expect(tokenizer.decode(ids)).toBe('word word word word word word word');
    expect(tokenizer.encode('x'.repeat(100_000))[0]).toBe(UNK_ID);
  });

  it('encodes an empty caption as <eos> followed by padding', () => {
    const tokenizer = tokenizerFor(['a']);
    expect(Array.from(tokenizer.encode(''))).toEqual([EOS_ID, 0, 0, 0, 0, 0, 0, 0]);
    expect(tokenizer.decode(tokenizer.encode('   '))).toBe('');
  });

  it('encodes punctuation-only captions as marks when split and as empty when stripped', () => {
    const split = tokenizerFor(['?!']);
    expect(split.decode(split.encode('?!'))).toBe('?!');
    const strip = tokenizerFor(['?!'], { ...rules, punctuation: 'strip' });
    expect(strip.size).toBe(SPECIAL_TOKENS.length);
    expect(strip.encode('?!')[0]).toBe(EOS_ID);
  });

  it('stops decoding at <eos> and drops <pad> and <bos>', () => {
    const tokenizer = tokenizerFor(['a b']);
    const a = tokenizer.encode('a')[0] as number;
    const b = tokenizer.encode('b')[0] as number;
    expect(tokenizer.decode([2, a, 0, b, EOS_ID, a, a, a])).toBe('a b');
  });
});
