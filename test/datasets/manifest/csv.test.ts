import { describe, expect, it } from 'vitest';
import { DataError } from '../../../src/errors/errors.js';
import { parseCsv, parseCsvRecords } from '../../../datasets/manifest/csv.js';

describe('CSV parser', () => {
  it('reads quoted fields with commas, doubled quotes and line breaks, keeping start lines', () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\n2,"two\nlines",\n\n3,,z';
    const { header, records } = parseCsv(text, 'm.csv');
    expect(header).toEqual(['a', 'b', 'c']);
    expect(records).toEqual([
      { line: 2, fields: ['1', 'x, y', 'say "hi"'] },
      { line: 3, fields: ['2', 'two\nlines', ''] },
      { line: 6, fields: ['3', '', 'z'] },
    ]);
  });

  it('strips a byte-order mark and trims header names', () => {
    expect(parseCsv('\ufeff id , image \n1,a.png\n', 'm.csv').header).toEqual(['id', 'image']);
  });

  it('keeps empty quoted fields and a final line without newline', () => {
    expect(parseCsvRecords('"",x\n"q"', 'm.csv')).toEqual([
      { line: 1, fields: ['', 'x'] },
      { line: 2, fields: ['q'] },
    ]);
  });

  it('names the file and line of an unclosed quote or text after a closing quote', () => {
    expect(() => parseCsvRecords('a\n"open\nstill', 'm.csv')).toThrow(/m\.csv:2: a quoted field/);
    expect(() => parseCsvRecords('a\n"x"y', 'm.csv')).toThrow(/m\.csv:2: unexpected character 'y'/);
    expect(() => parseCsv('', 'm.csv')).toThrow(DataError);
    expect(() => parseCsv('a,,b\n', 'm.csv')).toThrow(/column 2 has no name/);
    expect(() => parseCsv('a,a\n', 'm.csv')).toThrow(/'a' appears twice/);
  });
});
