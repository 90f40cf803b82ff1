import { describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors/errors.js';
import { coherence, coherenceByClass } from '../../../src/evaluation/metrics/coherence.js';

describe('coherence', () => {
  it('is the share of generated samples classified as their input class', () => {
    expect(coherence([1, 2, 3, 3], [1, 2, 3, 4])).toBe(0.75);
    expect(coherence(Int32Array.from([0]), Int32Array.from([0]))).toBe(1);
  });

  it('breaks coherence down by input class', () => {
    const byClass = coherenceByClass([0, 1, 1, 2, 0], [0, 0, 1, 2, 2]);
    expect([...byClass]).toEqual([
      [0, 0.5],
      [1, 1],
      [2, 0.5],
    ]);
  });

  it('rejects mismatched and empty inputs', () => {
    expect(() => coherence([1], [1, 2])).toThrow(/1 predictions for 2 input labels/);
    expect(() => coherence([], [])).toThrow(UsageError);
  });
});
