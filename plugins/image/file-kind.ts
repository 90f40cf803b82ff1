/**
 * How an image file is recognised by its first bytes, so a caption file given as an image query
 * is refused with a message about the flag rather than a decoder's stack trace; and the size
 * limit image files are read within.
 */
import { declareInputLimit, type FileKind } from 'mmae/portable';

/** Image files, as datasets and queries give them: 32 MiB, or MMAE_MAX_IMAGE_MB. */
export const IMAGE_FILE_LIMIT = declareInputLimit({
  name: 'image',
  defaultMib: 32,
  files: 'image files',
});

const SIGNATURES: readonly ((b: Uint8Array) => boolean)[] = [
  (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47, // PNG
  (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, // JPEG
  (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP',
  (b) => ascii(b, 0, 4) === 'GIF8',
  (b) => ascii(b, 0, 2) === 'BM',
  (b) => ascii(b, 0, 4) === 'II*\0' || ascii(b, 0, 4) === 'MM\0*', // TIFF
];

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

/** GIF, BMP and TIFF are recognised too, so the decoder can say it does not read them. */
export const imageFileKind: FileKind = {
  description: 'an image (PNG, JPEG, WebP, GIF, BMP or TIFF)',
  headerBytes: 12,
  matches: (header) => SIGNATURES.some((test) => test(header)),
};
