import { beforeAll, describe, expect, it } from 'vitest';
import { reconstructionScores } from '../../../src/evaluation/measures/reconstruction-scores.js';
import { useBackend } from '../../support/backend.js';
import { MIXED_ROWS } from './mixed-rows.js';
import { LOG_2PI, codeOf, stubModel, stubTable } from './stub-model.js';

beforeAll(() => useBackend('cpu'));

describe('reconstructionScores', () => {
  it("is each row's reconstruction loss of what it carries, from its own code", () => {
    const scores = reconstructionScores(stubModel(['a', 'b']), stubTable(MIXED_ROWS), 2);
    const expected = MIXED_ROWS.map((row) => {
      const z = codeOf(row, ['a', 'b']);
      if (!z) return 0; // nothing carried, nothing lost
      return [row.a, row.b]
        .filter((x) => x !== undefined)
        .reduce((s, x) => s + ((x[0] - z[0]) ** 2 + (x[1] - z[1]) ** 2) / 2 + LOG_2PI, 0);
    });
    expect(scores).toHaveLength(MIXED_ROWS.length);
    scores.forEach((score, i) => expect(score, `row ${i}`).toBeCloseTo(expected[i]!, 4));
  });
});
