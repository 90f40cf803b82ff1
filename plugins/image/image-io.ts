/**
 * What the image plugin needs from its platform: reading an image file, decoding and resizing
 * images, encoding PNG. The plugin's compute (features, layers, losses, rendering to pixels) is
 * the same everywhere; the Node build binds sharp and the file system (node/sharp-image-io.ts),
 * a browser build the portable I/O below, and a browser decoder (canvas, createImageBitmap) is
 * to come behind the same interface.
 */
import { DataError } from 'mmae/portable';
import type { DecodedImage } from './decoded-image.js';
import type { DecodeTarget } from './decode.js';
import { encodePngStored } from './png-encode.js';

export interface ImageIo {
  /** An image file's bytes, within the size limit for image files. */
  readFile?(path: string, source: string): Promise<Uint8Array>;
  /** Encoded bytes (PNG, JPEG, WebP) → pixels in [0, 1] at the target geometry. */
  decode?(
    bytes: Uint8Array,
    file: string,
    source: string,
    target: DecodeTarget,
  ): Promise<Float32Array>;
  /** Decoded pixels of another size or channel count → pixels in [0, 1] at the target geometry. */
  resize?(image: DecodedImage, source: string, target: DecodeTarget): Promise<Float32Array>;
  /** Interleaved 8-bit gray or RGB pixels → PNG bytes. */
  encodePng(
    pixels: Uint8Array,
    width: number,
    height: number,
    channels: 1 | 3,
  ): Promise<Uint8Array>;
}

/**
 * Portable I/O: decoded pixels at the feature geometry pass straight through (the MNIST path),
 * PNGs are written in plain JavaScript; files, encoded images and resizing are refused by
 * decode.ts with a message saying what this build takes.
 */
export const portableImageIo: ImageIo = {
  encodePng: async (pixels, width, height, channels) =>
    encodePngStored(pixels, width, height, channels),
};

/** The refusal for what portable I/O cannot do, naming the sample and what would work. */
export function unsupported(what: string, source: string, target: DecodeTarget): DataError {
  return new DataError(
    `Sample '${source}': this build of the image modality has no image decoder, so it cannot ` +
      `${what}. Give decoded pixels of ${target.width}×${target.height}×${target.channels} ` +
      '({ width, height, channels, data }), or use mmae on Node, which decodes with sharp.',
    source,
  );
}
