/**
 * Raw value → one sample's pixels in [0,1], row-major [height, width, channels]. Decoded pixels
 * that already have the target size and channels are scaled here (the MNIST path); files,
 * encoded bytes and resizing go through the platform's ImageIo (sharp on Node). Every failure
 * becomes a DataError naming the file.
 */
import type { RawValue } from 'mmae/portable';
import { DataError } from 'mmae/portable';
import { checkDecodedImage, type DecodedImage } from './decoded-image.js';
import { unsupported, type ImageIo } from './image-io.js';
import type { ImageGeometry, ImageOptions } from './options.js';

/** What an image is decoded to: the feature geometry plus how to fit other aspect ratios. */
export interface DecodeTarget extends ImageGeometry {
  readonly resize: ImageOptions['resize'];
}

export async function decodeImage(
  raw: RawValue,
  source: string,
  target: DecodeTarget,
  io: ImageIo,
): Promise<Float32Array> {
  switch (raw.kind) {
    case 'decoded':
      return decodePixels(checkDecodedImage(raw.value, source), source, target, io);
    case 'file': {
      if (!io.readFile || !io.decode)
        throw unsupported(`read the file ${raw.path}`, source, target);
      return io.decode(await io.readFile(raw.path, source), raw.path, source, target);
    }
    case 'bytes':
      if (!io.decode) throw unsupported('decode image bytes', source, target);
      return io.decode(raw.data, raw.name ?? source, source, target);
    default:
      throw new DataError(
        `Sample '${source}': the image modality takes a file path, image bytes or decoded ` +
          `pixels, but got a '${raw.kind}' value. Check which dataset column feeds 'image'.`,
        source,
      );
  }
}

async function decodePixels(
  image: DecodedImage,
  source: string,
  target: DecodeTarget,
  io: ImageIo,
): Promise<Float32Array> {
  const { width, height, channels, data } = image;
  if (width === target.width && height === target.height && channels === target.channels) {
    return scaleToUnit(data);
  }
  if (!io.resize) {
    throw unsupported(`resize ${width}×${height}×${channels} pixels`, source, target);
  }
  return io.resize(image, source, target);
}

export function scaleToUnit(bytes: Uint8Array): Float32Array {
  const out = new Float32Array(bytes.length);
  for (let i = 0; i < bytes.length; i++) out[i] = (bytes[i] as number) / 255;
  return out;
}
