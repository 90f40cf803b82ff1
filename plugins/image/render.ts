/** How pixels become PNG bytes: the platform's ImageIo.encodePng. */
export type PngEncoder = ImageIo['encodePng'];

/**
 * Features → PNG. One image for `render`, and a grid of many for evaluation sheets and
 * retrieval results. Values are clamped to [0,1] before ×255, so Gaussian means outside the
 * data range still render.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from 'mmae/portable';
import type { ImageIo } from './image-io.js';
import type { ImageGeometry } from './options.js';

function toByte(value: number): number {
  if (!(value > 0)) return 0; // also NaN
  if (value >= 1) return 255;
  return Math.round(value * 255);
}

/** One sample's features [h, w, c] (flat) → PNG. */
export async function renderImagePng(
  features: Float32Array | Int32Array,
  geometry: ImageGeometry,
  encodePng: PngEncoder,
): Promise<Uint8Array> {
  const { height, width, channels } = geometry;
  if (features.length !== height * width * channels) {
    throw new UsageError(
      `Cannot render image: ${features.length} values given for a ` +
        `${width}×${height}×${channels} image (${height * width * channels} expected).`,
    );
  }
  return encodePng(Uint8Array.from(features, toByte), width, height, channels as 1 | 3);
}

export interface GridOptions {
  readonly h: number;
  readonly w: number;
  readonly c: number;
  /** Pixels between cells and around the border (default 2). */
  readonly padding?: number;
  /** Integer nearest-neighbour upscaling of each image (default 1). */
  readonly scale?: number;
  /** Gray level of padding and empty cells, in [0,1] (default 0.5). */
  readonly background?: number;
}

/**
 * Images laid out row by row into a rows × cols sheet. `images` is a list of flat [h, w, c]
 * arrays or a tensor [n, h, w, c] / [n, h·w·c]; a tensor is read, not disposed. Fewer images
 * than cells leave the rest empty.
 */
export async function renderGrid(
  images: readonly Float32Array[] | tf.Tensor,
  rows: number,
  cols: number,
  options: GridOptions,
  encodePng: PngEncoder,
): Promise<Uint8Array> {
  const { h, w, c } = options;
  const padding = options.padding ?? 2;
  const scale = options.scale ?? 1;
  const list = images instanceof tf.Tensor ? splitTensor(images, h * w * c) : images;
  checkGrid(list, rows, cols, options, padding, scale);
  const cellW = w * scale;
  const cellH = h * scale;
  const sheetW = cols * cellW + (cols + 1) * padding;
  const sheetH = rows * cellH + (rows + 1) * padding;
  const sheet = new Uint8Array(sheetW * sheetH * c).fill(toByte(options.background ?? 0.5));
  list.forEach((image, index) => {
    const left = padding + (index % cols) * (cellW + padding);
    const top = padding + Math.floor(index / cols) * (cellH + padding);
    for (let y = 0; y < cellH; y++) {
      for (let x = 0; x < cellW; x++) {
        const from = (Math.floor(y / scale) * w + Math.floor(x / scale)) * c;
        const to = ((top + y) * sheetW + left + x) * c;
        for (let k = 0; k < c; k++) sheet[to + k] = toByte(image[from + k] as number);
      }
    }
  });
  return encodePng(sheet, sheetW, sheetH, c as 1 | 3);
}

function splitTensor(images: tf.Tensor, perImage: number): Float32Array[] {
  const n = images.shape[0] ?? 0;
  if (images.size !== n * perImage) {
    throw new UsageError(
      `renderGrid: tensor of shape [${images.shape.join(', ')}] does not hold images of ` +
        `${perImage} values each.`,
    );
  }
  const flat = images.dataSync();
  return Array.from({ length: n }, (_, i) =>
    Float32Array.from(flat.subarray(i * perImage, (i + 1) * perImage)),
  );
}

function checkGrid(
  list: readonly Float32Array[],
  rows: number,
  cols: number,
  options: GridOptions,
  padding: number,
  scale: number,
): void {
  const { h, w, c } = options;
  const whole = (n: number, min: number) => Number.isInteger(n) && n >= min;
  if (![rows, cols, h, w, scale].every((n) => whole(n, 1)) || !whole(padding, 0)) {
    throw new UsageError(
      `renderGrid: rows (${rows}), cols (${cols}), h (${h}), w (${w}) and scale (${scale}) ` +
        `must be positive integers and padding (${padding}) a non-negative integer.`,
    );
  }
  if (c !== 1 && c !== 3) {
    throw new UsageError(`renderGrid: c is ${c}; images must have 1 (gray) or 3 (RGB) channels.`);
  }
  if (list.length > rows * cols) {
    throw new UsageError(
      `renderGrid: ${list.length} images do not fit a ${rows}×${cols} grid; raise rows or cols.`,
    );
  }
  list.forEach((image, index) => {
    if (image.length !== h * w * c) {
      throw new UsageError(
        `renderGrid: image ${index} has ${image.length} values, expected ${h}×${w}×${c}.`,
      );
    }
  });
}
