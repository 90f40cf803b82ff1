/**
 * Recognises a query file by its first bytes, so a text file given as --image is refused with a
 * message about the flag rather than a decoder's stack trace.
 */
const SIGNATURES: Readonly<Record<string, readonly ((b: Uint8Array) => boolean)[]>> = {
  image: [
    (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47, // PNG
    (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, // JPEG
    (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
    (b) => ascii(b, 0, 4) === 'GIF8',
    (b) => ascii(b, 0, 2) === 'BM',
    (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*', // TIFF
  ],
  audio: [(b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WAVE'],
};

/** What the plugin id expects in words, for messages. */
export const EXPECTED_FILE: Readonly<Record<string, string>> = {
  image: 'an image (PNG, JPEG, WebP, GIF, BMP or TIFF)',
  audio: 'a WAV file (RIFF/WAVE)',
};

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** True when `bytes` look like a file the plugin reads; plugins without signatures accept all. */
export function looksLike(pluginId: string, bytes: Uint8Array): boolean {
  const tests = SIGNATURES[pluginId];
  return tests === undefined || tests.some((test) => test(bytes));
}
