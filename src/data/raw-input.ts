import type { RawValue } from './contract.js';

/**
 * What the API accepts for one modality: a file path or text, bytes, a RawValue, or data already
 * decoded in the form the modality's plugin declares (the image plugin's `{ width, height,
 * channels, data }`), which becomes a DecodedValue for the plugin to check.
 */
export type RawInput = string | Uint8Array | RawValue | DecodedInput;

/**
 * Decoded data as the modality's plugin declares it (RawInputRule.decoded). Any object that is
 * not a RawValue is one, so an extra field such as the `kind: 'image'` of earlier versions is the
 * plugin's to ignore.
 */
export type DecodedInput = object;

const RAW_VALUE_KINDS: ReadonlySet<unknown> = new Set(['file', 'bytes', 'text', 'decoded']);

/** Whether an object is one of the core's RawValue forms, by its `kind`. */
export function isRawValue(input: object): input is RawValue {
  return RAW_VALUE_KINDS.has((input as { kind?: unknown }).kind);
}

/** What of a plugin's RawInputRule (modality/contract.ts) the data layer reads. */
export interface StringInputRule {
  readonly rawInput?: { readonly strings?: 'text' | 'path' };
}

/**
 * Turns an API input into a RawValue. A string is the value itself for a plugin whose rule says
 * strings are text (a caption), and a file path for the others; an object that is no RawValue is
 * decoded data, passed on untouched. The plugin decides the rest in `prepare`.
 */
export function toRawValue(input: RawInput, plugin: StringInputRule): RawValue {
  if (typeof input === 'string') {
    return plugin.rawInput?.strings === 'text'
      ? { kind: 'text', text: input }
      : { kind: 'file', path: input };
  }
  if (input instanceof Uint8Array) return { kind: 'bytes', data: input };
  if (isRawValue(input)) return input;
  return { kind: 'decoded', value: input };
}
