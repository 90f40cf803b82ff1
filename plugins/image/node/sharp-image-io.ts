/**
 * The image plugin's Node edge: image files read with the size and regular-file checks of the
 * plugin kit, decoded, resized and written as PNG by sharp (libvips). The portable plugin gets
 * these through ImageIo (image-io.ts); nothing else in the plugin imports sharp or the file system.
 */
import sharp from 'sharp';
import type { RawValue } from 'mmae';
import { readInputFile, ConfigError, DataError } from 'mmae';
import { decodeImage as decodeImageWith, scaleToUnit, type DecodeTarget } from '../decode.js';
import type { DecodedImage } from '../decoded-image.js';
import { IMAGE_FILE_LIMIT } from '../file-kind.js';
import type { ImageIo } from '../image-io.js';
import type { ImageGeometry } from '../options.js';
import { renderGrid as renderGridWith, renderImagePng as renderImagePngWith } from '../render.js';
import type { GridOptions } from '../render.js';
import type * as tf from '@tensorflow/tfjs';

/** sharp reads more (GIF, TIFF, SVG, AVIF...); we promise these three and reject the rest. */
const ACCEPTED_FORMATS: readonly string[] = ['png', 'jpeg', 'webp'];
const BLACK = { r: 0, g: 0, b: 0 };

const PIXEL_LIMIT_ENV = 'MMAE_MAX_IMAGE_MEGAPIXELS';
const DEFAULT_MEGAPIXELS = 64;

/** The most pixels an encoded image may decode to (64 MP: 256 MB as RGBA), or the variable's. */
function pixelLimit(): number {
  const raw = process.env[PIXEL_LIMIT_ENV];
  if (raw === undefined || raw.trim() === '') return DEFAULT_MEGAPIXELS * 1e6;
  const megapixels = Number(raw);
  if (!(Number.isFinite(megapixels) && megapixels > 0)) {
    throw new ConfigError(
      `the environment variable ${PIXEL_LIMIT_ENV} is '${raw}'; set it to a number of ` +
        `megapixels greater than 0 (the default is ${DEFAULT_MEGAPIXELS}) or unset it.`,
      PIXEL_LIMIT_ENV,
    );
  }
  return Math.floor(megapixels * 1e6);
}

/** "'a.png'" or "'a.png' (sample 12)" when the sample id adds information. */
function describe(file: string, source: string): string {
  return file === source ? `'${file}'` : `'${file}' (sample '${source}')`;
}

/** sharp's message without its stack, for the end of our own message. */
function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** A regular file within the image size limit; the module's DataError names it otherwise. */
function readImageFile(path: string, source: string): Promise<Uint8Array> {
  return readInputFile(path, {
    limit: IMAGE_FILE_LIMIT,
    what: 'image file',
    of: `sample '${source}'`,
  });
}

async function decodeEncoded(
  bytes: Uint8Array,
  file: string,
  source: string,
  target: DecodeTarget,
): Promise<Float32Array> {
  const where = describe(file, source);
  if (bytes.length === 0) {
    throw new DataError(`Image file ${where} is empty (0 bytes). Re-export it or remove it.`, file);
  }
  const maxPixels = pixelLimit();
  let format: string | undefined;
  try {
    const metadata = await sharp(bytes).metadata();
    format = metadata.format;
    // A few KiB of PNG can claim 50,000 × 50,000 pixels: refuse by the header, before decoding.
    const pixels = (metadata.width ?? 0) * (metadata.height ?? 0);
    if (pixels > maxPixels) {
      throw new DataError(
        `Image file ${where} is ${metadata.width} × ${metadata.height} pixels, over the limit of ` +
          `${maxPixels / 1e6} megapixels; set ${PIXEL_LIMIT_ENV} to raise it, or shrink the image.`,
        file,
      );
    }
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      `Image file ${where} cannot be decoded: ${reasonOf(error)}. It is corrupt or not an ` +
        `image; the image modality reads PNG, JPEG and WebP.`,
      file,
      { cause: error },
    );
  }
  if (format === undefined || !ACCEPTED_FORMATS.includes(format)) {
    throw new DataError(
      `Image file ${where} is in format '${format ?? 'unknown'}', which the image modality ` +
        `does not read. Convert it to PNG, JPEG or WebP.`,
      file,
    );
  }
  try {
    return await resample(sharp(bytes, { limitInputPixels: maxPixels }), target, where, file);
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      `Image file ${where} could not be decoded: ${reasonOf(error)}. It is probably corrupt ` +
        `or truncated; re-export it or remove it from the dataset.`,
      file,
      { cause: error },
    );
  }
}

async function resizePixels(
  image: DecodedImage,
  source: string,
  target: DecodeTarget,
): Promise<Float32Array> {
  const { width, height, channels, data } = image;
  try {
    return await resample(
      sharp(data, { raw: { width, height, channels } }),
      target,
      `'${source}'`,
      source,
    );
  } catch (error) {
    if (error instanceof DataError) throw error;
    throw new DataError(
      `Sample '${source}': decoded pixels cannot be resized: ${reasonOf(error)}.`,
      source,
      { cause: error },
    );
  }
}

/** Alpha onto black, to the target colour space and size, as 8-bit interleaved pixels. */
async function resample(
  pipeline: sharp.Sharp,
  target: DecodeTarget,
  where: string,
  file: string,
): Promise<Float32Array> {
  const coloured = pipeline.flatten({ background: BLACK });
  const converted = target.channels === 1 ? coloured.grayscale() : coloured.toColourspace('srgb');
  const { data, info } = await converted
    .resize(target.width, target.height, { fit: target.resize, background: BLACK })
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  if (
    info.width !== target.width ||
    info.height !== target.height ||
    info.channels !== target.channels
  ) {
    throw new DataError(
      `Image ${where} decoded to ${info.width}×${info.height}×${info.channels} instead of ` +
        `${target.width}×${target.height}×${target.channels}. Convert it to plain ` +
        `grayscale or RGB PNG.`,
      file,
    );
  }
  return scaleToUnit(data);
}

function encodePng(pixels: Uint8Array, width: number, height: number, channels: 1 | 3) {
  const image = sharp(pixels, { raw: { width, height, channels: channels as 1 | 3 } });
  // Without 'b-w' sharp writes one-channel input as an RGB PNG, three times the size.
  return (channels === 1 ? image.toColourspace('b-w') : image).png().toBuffer();
}

export const sharpImageIo: ImageIo = {
  readFile: readImageFile,
  decode: decodeEncoded,
  resize: resizePixels,
  encodePng: async (pixels, width, height, channels) => encodePng(pixels, width, height, channels),
};

/** decode.ts's decodeImage with sharp and the file system. */
export function decodeImage(raw: RawValue, source: string, target: DecodeTarget) {
  return decodeImageWith(raw, source, target, sharpImageIo);
}

/** render.ts's renderImagePng, encoded by sharp (so the bytes are a Buffer). */
export function renderImagePng(
  features: Float32Array | Int32Array,
  geometry: ImageGeometry,
): Promise<Buffer> {
  return renderImagePngWith(features, geometry, sharpImageIo.encodePng) as Promise<Buffer>;
}

/** render.ts's renderGrid, encoded by sharp. */
export function renderGrid(
  images: readonly Float32Array[] | tf.Tensor,
  rows: number,
  cols: number,
  options: GridOptions,
): Promise<Buffer> {
  return renderGridWith(images, rows, cols, options, sharpImageIo.encodePng) as Promise<Buffer>;
}
