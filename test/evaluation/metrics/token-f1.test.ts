import { describe, expect, it } from 'vitest';
import { tokenOverlap, wordTokens } from '../../../src/evaluation/metrics/token-f1.js';

describe('token F1', () => {
  it('splits lower-case word tokens on anything that is not a letter or digit', () => {
    expect(wordTokens('Waving hand: medium-dark skin tone, 2!')).toEqual([
      'waving',
      'hand',
      'medium',
      'dark',
      'skin',
      'tone',
      '2',
    ]);
    expect(wordTokens('Café crème')).toEqual(['café', 'crème']);
    expect(wordTokens(' , ')).toEqual([]);
  });

  it('is the harmonic mean of precision and recall over bags of tokens', () => {
    const reference = wordTokens('face with diagonal mouth');
    expect(tokenOverlap(wordTokens('face with diagonal mouth'), reference)).toEqual({
      precision: 1,
      recall: 1,
      f1: 1,
    });
    // 2 of 3 generated tokens are in the reference (2 of its 4): P 2/3, R 1/2, F1 4/7.
    const o = tokenOverlap(wordTokens('face with eyes'), reference);
    expect(o.precision).toBeCloseTo(2 / 3, 12);
    expect(o.recall).toBeCloseTo(1 / 2, 12);
    expect(o.f1).toBeCloseTo(4 / 7, 12);
    expect(tokenOverlap(wordTokens('cat'), reference)).toEqual({ precision: 0, recall: 0, f1: 0 });
  });

  it('counts a repeated word only as often as the reference has it', () => {
    const o = tokenOverlap(['face', 'face', 'face'], ['face', 'cat']);
    expect(o.precision).toBeCloseTo(1 / 3, 12);
    expect(o.recall).toBeCloseTo(1 / 2, 12);
  });

  it('scores an empty caption 0 against a reference, and 1 when both are empty', () => {
    expect(tokenOverlap([], ['face']).f1).toBe(0);
    expect(tokenOverlap([], []).f1).toBe(1);
  });
});
