import { beforeAll, describe, expect, it } from 'vitest';
import {
  reconstructionError,
  reconstructionTable,
} from '../../../src/evaluation/measures/reconstruction-error.js';
import { useBackend } from '../../support/backend.js';
import { MIXED_ROWS } from './mixed-rows.js';
import { codeOf, stubModel, stubTable, type StubRow } from './stub-model.js';

beforeAll(() => useBackend('cpu'));

type Name = 'a' | 'b';

/** Mean squared error per feature of `target` decoded (identity) from the code of `from`. */
function expectedError(rows: readonly StubRow[], target: Name, from: readonly Name[]): number {
  let sum = 0;
  let count = 0;
  for (const row of rows) {
    const z = codeOf(row, from);
    const x = row[target];
    if (!z || !x) continue;
    sum += ((x[0] - z[0]) ** 2 + (x[1] - z[1]) ** 2) / 2;
    count++;
  }
  return sum / count;
}

describe('reconstructionError', () => {
  const model = stubModel(['a', 'b']);
  const table = stubTable(MIXED_ROWS);

  it('is the mean squared error per feature over the rows carrying the target and a source', () => {
    // Rows 0 and 4 carry both: ((3-1)² + (0-2)²)/2 = 4 and ((-2-0)² + (1-4)²)/2 = 6.5.
    expect(reconstructionError(model, table, 'a', ['b'])).toBeCloseTo(5.25, 5);
    expect(reconstructionError(model, table, 'b', ['a'])).toBeCloseTo(5.25, 5);
  });

  it('decodes from all the modalities by default, each row from what it carries', () => {
    expect(reconstructionError(model, table, 'a')).toBeCloseTo(
      expectedError(MIXED_ROWS, 'a', ['a', 'b']),
      5,
    );
    expect(reconstructionError(model, table, 'a', ['a'])).toBe(0);
  });

  it('is NaN when no row carries both the target and a source', () => {
    const apart = stubTable([
      { label: 0, a: [1, 1] },
      { label: 1, b: [2, 2] },
    ]);
    expect(reconstructionError(model, apart, 'a', ['b'])).toBeNaN();
  });
});

describe('reconstructionTable', () => {
  it('holds each target from all the modalities and from each one alone', () => {
    const result = reconstructionTable(stubModel(['a', 'b']), stubTable(MIXED_ROWS));
    const names: Name[] = ['a', 'b'];
    expect(Object.keys(result).sort()).toEqual(names);
    for (const target of names) {
      expect(Object.keys(result[target]!).sort()).toEqual(['a', 'all', 'b']);
      expect(result[target]!.all).toBeCloseTo(expectedError(MIXED_ROWS, target, names), 5);
      for (const source of names) {
        expect(result[target]![source]).toBeCloseTo(expectedError(MIXED_ROWS, target, [source]), 5);
      }
    }
  });

  it('holds only `all` for a one-modality model', () => {
    const rows = MIXED_ROWS.filter((r) => r.a);
    const result = reconstructionTable(stubModel(['a']), stubTable(rows));
    expect(result).toEqual({ a: { all: 0 } });
  });
});
