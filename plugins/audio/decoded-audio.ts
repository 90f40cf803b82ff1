/**
 * The decoded form the audio modality takes: samples a dataset or caller has already decoded,
 * handed to the core as `{ kind: 'decoded', value }`. The core never looks inside; this module
 * checks the value's fields for the API (a UsageError naming the argument), and raw-audio.ts
 * checks them and the samples themselves for `prepare` (a DataError naming the sample).
 */
import type { DecodedForm, RawValue } from 'mmae/portable';

/** Decoded mono audio in [-1, 1]. */
export interface DecodedAudio {
  readonly sampleRate: number;
  readonly samples: Float32Array;
}

export const DECODED_AUDIO_SHAPE = '{ sampleRate, samples: Float32Array }';

function describe(value: unknown): string {
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (typeof value === 'object' && value !== null) return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return String(value);
}

/** What is wrong with `value`'s fields as decoded audio, naming the field; undefined when fine. */
export function decodedAudioProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return `it is ${describe(value)}`;
  // Other fields (the `kind: 'audio'` of earlier versions) are ignored.
  const { sampleRate, samples } = value as Record<string, unknown>;
  if (!(samples instanceof Float32Array)) {
    return `samples must be a Float32Array, got ${describe(samples)}`;
  }
  if (!(typeof sampleRate === 'number' && Number.isFinite(sampleRate) && sampleRate > 0)) {
    return `sampleRate must be a sample rate in Hz above 0, got ${describe(sampleRate)}`;
  }
  return undefined;
}

/** The audio plugin's RawInputRule.decoded. */
export const decodedAudioForm: DecodedForm = {
  shape: DECODED_AUDIO_SHAPE,
  problem: decodedAudioProblem,
};

/** Decoded audio as the raw value a dataset (or a corruption) hands the core. */
export function decodedAudioValue(audio: DecodedAudio): RawValue {
  return { kind: 'decoded', value: audio };
}
