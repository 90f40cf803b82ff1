/**
 * The image modality's corruptions for robustness curves: pixel noise and an occluding square,
 * applied to prepared pixels (row-major HWC in [0, 1]). Each takes a severity and a SeededRandom,
 * so a curve is reproducible and two models are scored on identical corruptions; inputs are never
 * changed, every function returns a fresh copy.
 */
import type { Corruption, SeededRandom } from 'mmae/portable';
import { UsageError } from 'mmae/portable';

/** Per-sample image shape, row-major HWC, values in [0, 1]. */
export type ImageShape = readonly [height: number, width: number, channels: number];

function samplesIn(pixels: Float32Array, shape: ImageShape, fn: string): number {
  const [h, w, c] = shape;
  const size = h * w * c;
  if (![h, w, c].every((v) => Number.isInteger(v) && v > 0)) {
    throw new UsageError(
      `${fn}: shape [${shape.join(', ')}] must be three positive integers [h, w, c].`,
    );
  }
  if (pixels.length % size !== 0) {
    throw new UsageError(
      `${fn}: ${pixels.length} values are not a whole number of [${shape.join(', ')}] images ` +
        `(${size} values each); pass rows of h*w*c features.`,
    );
  }
  return pixels.length / size;
}

function checkLevel(fn: string, name: string, value: number, max = Infinity): void {
  if (!Number.isFinite(value) || value < 0 || value > max) {
    throw new UsageError(`${fn}: ${name} is ${value}; it must be in [0, ${max}].`);
  }
}

/** Adds N(0, sigma²) to every pixel and clips to [0, 1]. Accepts one image or n stacked rows. */
export function gaussianImageNoise(
  pixels: Float32Array,
  shape: ImageShape,
  sigma: number,
  rng: SeededRandom,
): Float32Array {
  samplesIn(pixels, shape, 'gaussianImageNoise');
  checkLevel('gaussianImageNoise', 'sigma', sigma);
  const out = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) {
    const v = (pixels[i] as number) + sigma * rng.normal();
    out[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return out;
}

/**
 * Fills one square patch per image (all channels) with `fill`. `fraction` is the patch side as a
 * share of the shorter image side, so the same level means the same severity at any resolution.
 */
export function occludeImage(
  pixels: Float32Array,
  shape: ImageShape,
  fraction: number,
  rng: SeededRandom,
  fill = 0,
): Float32Array {
  const n = samplesIn(pixels, shape, 'occludeImage');
  checkLevel('occludeImage', 'fraction', fraction, 1);
  const [h, w, c] = shape;
  const side = Math.round(fraction * Math.min(h, w));
  const out = Float32Array.from(pixels);
  if (side === 0) return out;
  for (let s = 0; s < n; s++) {
    const top = rng.int(h - side + 1);
    const left = rng.int(w - side + 1);
    for (let y = top; y < top + side; y++) {
      const rowStart = ((s * h + y) * w + left) * c;
      out.fill(fill, rowStart, rowStart + side * c);
    }
  }
  return out;
}

/** Image features are float32; a copy only if a caller hands over another array type. */
const asPixels = (features: Float32Array | Int32Array): Float32Array =>
  features instanceof Float32Array ? features : Float32Array.from(features);

/** The curves an image modality of this shape gets in `mmae eval`. */
export function imageCorruptions(shape: ImageShape): Corruption[] {
  return [
    {
      name: 'gaussian',
      on: 'features',
      levels: [0, 0.1, 0.2, 0.4],
      axis: 'pixel noise σ',
      corrupt: (pixels, sigma, rng) => gaussianImageNoise(asPixels(pixels), shape, sigma, rng),
    },
    {
      name: 'occlusion',
      on: 'features',
      levels: [0, 0.25, 0.5, 0.75],
      axis: 'occluded square side (share of the image side)',
      corrupt: (pixels, fraction, rng) => occludeImage(asPixels(pixels), shape, fraction, rng),
    },
  ];
}
