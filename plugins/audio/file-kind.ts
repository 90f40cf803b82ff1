/** How a WAV file is recognised by its first bytes (RIFF/WAVE), for clear query messages. */
import type { FileKind } from 'mmae/portable';

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

export const wavFileKind: FileKind = {
  description: 'a WAV file (RIFF/WAVE)',
  headerBytes: 12,
  matches: (header) => ascii(header, 0, 4) === 'RIFF' && ascii(header, 8, 12) === 'WAVE',
};
