/**
 * The API's check of one modality's input: the core's raw values by their fields, and decoded
 * data by the form the modality's plugin declares, which the core never looks inside.
 */
import { describe, expect, it } from 'vitest';
import { checkRawInput } from '../../src/api/check-api-input.js';
import { toRawValue } from '../../src/data/raw-input.js';
import { UsageError } from '../../src/errors/errors.js';
import type { DecodedForm, RawInputRule } from '../../src/modality/contract.js';

/** A user's modality that takes decoded series: `{ values: Float32Array }`. */
const seriesForm: DecodedForm = {
  shape: '{ values: Float32Array }',
  problem: (value) =>
    (value as { values?: unknown } | null)?.values instanceof Float32Array
      ? undefined
      : 'values must be a Float32Array',
};
const series: { id: string; rawInput: RawInputRule } = {
  id: 'series',
  rawInput: { decoded: seriesForm },
};
const caption: { id: string; rawInput: RawInputRule } = {
  id: 'text',
  rawInput: { strings: 'text' },
};

describe('checkRawInput', () => {
  it("hands decoded data to the modality's own check, plain or as a 'decoded' value", () => {
    const values = { values: new Float32Array(3) };
    expect(checkRawInput(values, 'input.series', series)).toBe(values);
    const wrapped = { kind: 'decoded', value: values } as const;
    expect(checkRawInput(wrapped, 'input.series', series)).toBe(wrapped);
    expect(toRawValue(values, series)).toEqual(wrapped);
    expect(toRawValue(wrapped, series)).toBe(wrapped);
    expect(() => checkRawInput({ values: [1, 2] }, 'input.series', series)).toThrow(
      new UsageError(
        'input.series must be a file path or text (string), bytes (Uint8Array), a raw value ' +
          "{ kind: 'file' | 'bytes' | 'text' | 'decoded', … } or decoded data; as decoded data " +
          'for the series modality, { values: Float32Array }, values must be a Float32Array',
      ),
    );
    expect(() => checkRawInput({ kind: 'decoded', value: null }, 'input.series', series)).toThrow(
      /the series modality.*values must be a Float32Array/,
    );
  });

  it('refuses decoded data for a modality that declares none, naming it and what it takes', () => {
    expect(() => checkRawInput({ words: ['seven'] }, 'input.text', caption)).toThrow(
      /input\.text .*it is decoded data \(an object\), which the text modality does not take: give a file path, bytes or text/,
    );
  });

  it("checks the core's raw values by their fields, whatever the plugin", () => {
    expect(() => checkRawInput({ kind: 'file' }, 'input.x', series)).toThrow(
      /input\.x .*a 'file' value needs a string path/,
    );
    expect(() => checkRawInput({ kind: 'text', text: 3 }, 'input.x', caption)).toThrow(
      /a 'text' value needs text: a string or Uint8Array/,
    );
    expect(() => checkRawInput(7, 'input.x', series)).toThrow(
      /input\.x must be .*; it is number 7/,
    );
    expect(checkRawInput('a caption', 'input.text', caption)).toBe('a caption');
  });
});
