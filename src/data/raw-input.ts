import type { RawValue } from './contract.js';

/** What the API accepts for one modality: a file path or text, bytes, or a decoded value. */
export type RawInput = string | Uint8Array | RawValue;

/** What of a plugin's RawInputRule (modality/contract.ts) the data layer reads. */
export interface StringInputRule {
  readonly rawInput?: { readonly strings?: 'text' | 'path' };
}

/**
 * Turns an API input into a RawValue. A string is the value itself for a plugin whose rule says
 * strings are text (a caption), and a file path for the others; the plugin decides the rest in
 * `prepare`.
 */
export function toRawValue(input: RawInput, plugin: StringInputRule): RawValue {
  if (typeof input === 'string') {
    return plugin.rawInput?.strings === 'text'
      ? { kind: 'text', text: input }
      : { kind: 'file', path: input };
  }
  if (input instanceof Uint8Array) return { kind: 'bytes', data: input };
  return input;
}
