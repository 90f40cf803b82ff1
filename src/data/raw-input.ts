import type { RawValue } from './contract.js';

/** What the API accepts for one modality: a file path or text, bytes, or a decoded value. */
export type RawInput = string | Uint8Array | RawValue;

/**
 * Turns an API input into a RawValue. A string is text for text-like modalities and a file path
 * for the others; the plugin decides the rest in `prepare`.
 */
export function toRawValue(input: RawInput, pluginId: string): RawValue {
  if (typeof input === 'string') {
    return pluginId === 'text' ? { kind: 'text', text: input } : { kind: 'file', path: input };
  }
  if (input instanceof Uint8Array) return { kind: 'bytes', data: input };
  return input;
}
