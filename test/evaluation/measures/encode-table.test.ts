import { beforeAll, describe, expect, it } from 'vitest';
import { encodeTable } from '../../../src/evaluation/measures/encode-table.js';
import { useBackend } from '../../support/backend.js';
import { MIXED_ROWS } from './mixed-rows.js';
import { LATENT, codeOf, stubModel, stubTable } from './stub-model.js';

beforeAll(() => useBackend('cpu'));

const expectedCodes = (from: readonly ('a' | 'b')[]) =>
  MIXED_ROWS.flatMap((row) => [...(codeOf(row, from) ?? [NaN, NaN])]);

describe('encodeTable', () => {
  const model = stubModel(['a', 'b']);
  const table = stubTable(MIXED_ROWS);

  it('codes every row from all the modalities it carries, in table order', () => {
    const codes = encodeTable(model, table);
    expect(codes).toHaveLength(table.size * LATENT);
    expect(Array.from(codes)).toEqual(expectedCodes(['a', 'b']));
  });

  it('codes from the given modalities only, and marks rows carrying none of them with NaN', () => {
    const codes = Array.from(encodeTable(model, table, ['b']));
    expect(codes).toEqual(expectedCodes(['b']));
    expect(codes.slice(2, 4)).toEqual([NaN, NaN]); // row 1 has no b
    expect(codes.slice(6, 8)).toEqual([NaN, NaN]); // row 3 has nothing
  });

  it('gives the same codes whatever the batch size', () => {
    expect(encodeTable(model, table, ['a', 'b'], 2)).toEqual(encodeTable(model, table));
  });
});
