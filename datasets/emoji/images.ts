/**
 * The emoji PNGs → RGB pixels on the chosen background, at 64 or 32 px. Each file is read
 * within a size limit and its PNG header checked (signature, 64×64) before sharp decodes it, so
 * a file that claims 50,000 × 50,000 pixels costs nothing. Decoded pixels are kept per process
 * (file, size, background): a second load, or a second run in one process, decodes nothing.
 */
import sharp from 'sharp';
import { DataError, declareInputLimit, readInputFile } from 'mmae';
import { SHIPPED_SIZE } from './vocabulary.js';

/** A 64×64 RGBA PNG is at most some 20 KiB; 1 MiB says the file is not one. */
export const EMOJI_IMAGE_LIMIT = declareInputLimit({
  name: 'emoji-image',
  defaultMib: 1,
  files: 'emoji PNG files',
});

export interface PixelTarget {
  /** 64 or 32. */
  readonly size: number;
  readonly background: { readonly r: number; readonly g: number; readonly b: number };
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

/** Why `bytes` is not a 64×64 PNG, from its header alone; undefined when it is. */
export function pngHeaderProblem(bytes: Uint8Array): string | undefined {
  if (bytes.length < 33 || PNG_SIGNATURE.some((b, i) => bytes[i] !== b)) {
    return 'it is not a PNG (no PNG signature)';
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const chunk = String.fromCharCode(...bytes.subarray(12, 16));
  if (chunk !== 'IHDR') return 'its first chunk is not IHDR';
  const width = view.getUint32(16);
  const height = view.getUint32(20);
  if (width !== SHIPPED_SIZE || height !== SHIPPED_SIZE) {
    return `it is ${width}×${height} pixels, not the ${SHIPPED_SIZE}×${SHIPPED_SIZE} of img/<vendor>/64/`;
  }
  return undefined;
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0] ?? text;
}

/** Straight RGBA → RGB over an opaque background, rounded as sharp's flatten rounds. */
export function composite(rgba: Uint8Array, background: PixelTarget['background']): Uint8Array {
  const pixels = rgba.length / 4;
  const rgb = new Uint8Array(pixels * 3);
  const { r, g, b } = background;
  for (let p = 0; p < pixels; p++) {
    const alpha = rgba[4 * p + 3] as number;
    const rest = 255 - alpha;
    rgb[3 * p] = Math.round(((rgba[4 * p] as number) * alpha + r * rest) / 255);
    rgb[3 * p + 1] = Math.round(((rgba[4 * p + 1] as number) * alpha + g * rest) / 255);
    rgb[3 * p + 2] = Math.round(((rgba[4 * p + 2] as number) * alpha + b * rest) / 255);
  }
  return rgb;
}

/**
 * RGB `side`×`side` → half the side, each pixel the mean of its 2×2 block: the exact area
 * filter for a factor of 2 (sharp's shrink). A sharp resize per image did the same at twice the
 * cost of decoding (15 s instead of 4 s for the 7,562 images of v16 on two cores).
 */
export function halve(rgb: Uint8Array, side: number): Uint8Array {
  const half = side / 2;
  const out = new Uint8Array(half * half * 3);
  for (let y = 0; y < half; y++) {
    for (let x = 0; x < half; x++) {
      const top = (2 * y * side + 2 * x) * 3;
      const bottom = top + side * 3;
      for (let c = 0; c < 3; c++) {
        const sum =
          (rgb[top + c] as number) +
          (rgb[top + 3 + c] as number) +
          (rgb[bottom + c] as number) +
          (rgb[bottom + 3 + c] as number);
        out[(y * half + x) * 3 + c] = (sum + 2) >> 2;
      }
    }
  }
  return out;
}

/** One PNG → size×size×3 bytes: decoded by sharp to RGBA, composited, halved for 32 px. */
async function decodePng(file: string, target: PixelTarget): Promise<Uint8Array> {
  const bytes = await readInputFile(file, { limit: EMOJI_IMAGE_LIMIT, what: 'emoji image' });
  const problem = pngHeaderProblem(bytes);
  if (problem !== undefined) throw new DataError(`${file}: ${problem}.`, file);
  let decoded: { data: Buffer; info: sharp.OutputInfo };
  try {
    decoded = await sharp(bytes, { limitInputPixels: SHIPPED_SIZE * SHIPPED_SIZE })
      .toColourspace('srgb')
      .ensureAlpha()
      .raw({ depth: 'uchar' })
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    throw new DataError(`${file}: it cannot be decoded (${reasonOf(error)}).`, file, {
      cause: error,
    });
  }
  const { data, info } = decoded;
  if (info.width !== SHIPPED_SIZE || info.height !== SHIPPED_SIZE || info.channels !== 4) {
    throw new DataError(
      `${file}: it decoded to ${info.width}×${info.height}×${info.channels}, not ` +
        `${SHIPPED_SIZE}×${SHIPPED_SIZE}×4 (RGBA).`,
      file,
    );
  }
  const rgb = composite(
    new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    target.background,
  );
  return target.size === SHIPPED_SIZE ? rgb : halve(rgb, SHIPPED_SIZE);
}

const cache = new Map<string, Promise<Uint8Array>>();

function cached(file: string, target: PixelTarget): Promise<Uint8Array> {
  const { r, g, b } = target.background;
  const key = `${file}|${target.size}|${r},${g},${b}`;
  let pending = cache.get(key);
  if (pending === undefined) {
    pending = decodePng(file, target);
    pending.catch(() => cache.delete(key));
    cache.set(key, pending);
  }
  return pending;
}

/** Files decoded at once: enough to keep libuv's threads busy, few enough to bound memory. */
const CONCURRENCY = 16;
/** Failures listed in the error before "and N more". */
const LISTED = 20;

/**
 * Decodes every file of `files` (each once per process) and returns the pixels in order. Every
 * file that fails is listed in one DataError, so a broken install is fixed in one pass.
 */
export async function decodeEmojiImages(
  files: readonly string[],
  target: PixelTarget,
): Promise<Uint8Array[]> {
  const pixels = new Array<Uint8Array>(files.length);
  const failures: { index: number; message: string }[] = [];
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < files.length) {
      const index = next++;
      try {
        pixels[index] = await cached(files[index] as string, target);
      } catch (error) {
        const message = error instanceof DataError ? error.message : reasonOf(error);
        failures.push({ index, message });
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, files.length) }, lane));
  if (failures.length > 0) {
    failures.sort((a, b) => a.index - b.index);
    const listed = failures
      .slice(0, LISTED)
      .map((f) => `  - ${f.message}`)
      .join('\n');
    const more = failures.length > LISTED ? `\n  … and ${failures.length - LISTED} more` : '';
    throw new DataError(
      `${failures.length} of ${files.length} emoji images could not be read:\n${listed}${more}\n` +
        'Reinstall the package that holds them (npm install), or report a broken release.',
      files[(failures[0] as { index: number }).index],
    );
  }
  return pixels;
}

/** '#rgb' or '#rrggbb' → { r, g, b }. */
export function parseColour(hex: string): { r: number; g: number; b: number } {
  const digits = hex.slice(1);
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  const value = Number.parseInt(full, 16);
  return { r: (value >> 16) & 0xff, g: (value >> 8) & 0xff, b: value & 0xff };
}
