import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors/errors.js';
import { auroc } from '../../../src/evaluation/metrics/auroc.js';

describe('auroc', () => {
  it('is 1 when every positive scores above every negative', () => {
    expect(auroc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1])).toBe(1);
  });

  it('is 0 when the scores are inverted', () => {
    expect(auroc([0.9, 0.8, 0.2, 0.1], [0, 0, 1, 1])).toBe(0);
  });

  it('is 0.5 when all scores are tied', () => {
    expect(auroc([3, 3, 3, 3, 3], [0, 1, 0, 1, 1])).toBe(0.5);
  });

  it('counts a tied positive-negative pair as one half', () => {
    // Pairs (pos, neg): (0.5 vs 0.5) = 0.5, (0.5 vs 0.1) = 1, (0.9 vs 0.5) = 1, (0.9 vs 0.1) = 1.
    expect(auroc([0.5, 0.9, 0.5, 0.1], [1, 1, 0, 0])).toBe(3.5 / 4);
  });

  it('equals the share of correctly ordered pairs on an unbalanced example', () => {
    const scores = [0.3, 0.7, 0.2, 0.6, 0.65, 0.1];
    const labels = [1, 1, 0, 0, 0, 0];
    let ordered = 0;
    for (let i = 0; i < 6; i++)
      for (let j = 0; j < 6; j++)
        if (labels[i] === 1 && labels[j] === 0) {
          const si = scores[i] as number;
          const sj = scores[j] as number;
          ordered += si > sj ? 1 : si === sj ? 0.5 : 0;
        }
    expect(auroc(scores, labels)).toBeCloseTo(ordered / 8, 12);
  });

  it('rejects a single class, non-binary labels and mismatched lengths with a usage error', () => {
    expect(() => auroc([1, 2], [1, 1])).toThrow(UsageError);
    expect(() => auroc([1, 2], [0, 2])).toThrow(/labels\[1\] is 2/);
    expect(() => auroc([1, 2, 3], [0, 1])).toThrow(/3 entries but labels has 2/);
    expect(() => auroc([1, NaN], [0, 1])).toThrow(/scores\[1\]/);
  });
});
