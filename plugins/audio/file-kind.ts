/**
 * How a WAV file is recognised by its first bytes (RIFF/WAVE), for clear query messages; and the
 * size limit of the samples read from one.
 */
import { declareInputLimit, type FileKind } from 'mmae/portable';

/**
 * The samples of the clip a WAV file gives the features (a WAV may be any length: only that
 * clip is read): 256 MiB, or MMAE_MAX_AUDIO_MB.
 */
export const WAV_CLIP_LIMIT = declareInputLimit({
  name: 'audio',
  defaultMib: 256,
  files: 'WAV sample data',
});

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

export const wavFileKind: FileKind = {
  description: 'a WAV file (RIFF/WAVE)',
  headerBytes: 12,
  matches: (header) => ascii(header, 0, 4) === 'RIFF' && ascii(header, 8, 12) === 'WAVE',
};
