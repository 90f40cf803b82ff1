/**
 * Input corruptions for robustness curves. Each takes a severity `level` and a SeededRandom, so a
 * curve (metric vs level) is reproducible and two models are scored on identical corruptions.
 * Inputs are never mutated; every function returns a fresh copy.
 */
import { UsageError } from '../errors/errors.js';
import type { SeededRandom } from '../random/seeded-random.js';

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

/**
 * Drops each word with probability `rate`. Keeps at least one word of a non-empty text, since an
 * empty caption is a missing modality, not a noisy one.
 */
export function dropWords(text: string, rate: number, rng: SeededRandom): string {
  checkLevel('dropWords', 'rate', rate, 1);
  const words = text.split(/\s+/).filter((w) => w.length > 0);
  if (words.length === 0) return '';
  const kept = words.filter(() => rng.next() >= rate);
  return kept.length > 0 ? kept.join(' ') : rng.pick(words);
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

/**
 * Corrupts each letter with probability `rate`: half the time it swaps with the next character,
 * otherwise it is replaced by a random lowercase letter. Whitespace is never touched, so word
 * count is preserved.
 */
export function typos(text: string, rate: number, rng: SeededRandom): string {
  checkLevel('typos', 'rate', rate, 1);
  const chars = Array.from(text);
  for (let i = 0; i < chars.length; i++) {
    if (/\s/.test(chars[i] as string) || rng.next() >= rate) continue;
    const next = chars[i + 1];
    if (rng.next() < 0.5 && next !== undefined && !/\s/.test(next)) {
      chars[i + 1] = chars[i] as string;
      chars[i] = next;
      i++; // the swapped pair is one typo; do not corrupt its second half again
    } else {
      chars[i] = LETTERS[rng.int(LETTERS.length)] as string;
    }
  }
  return chars.join('');
}

/**
 * Adds white Gaussian noise so that signal power / noise power = 10^(snrDb / 10). A silent clip
 * stays silent (SNR is undefined for zero signal power).
 */
export function addNoiseAtSnr(
  samples: Float32Array,
  snrDb: number,
  rng: SeededRandom,
): Float32Array {
  if (!Number.isFinite(snrDb)) {
    throw new UsageError(`addNoiseAtSnr: snrDb is ${snrDb}; pass a finite decibel value.`);
  }
  let power = 0;
  for (let i = 0; i < samples.length; i++) power += (samples[i] as number) ** 2;
  power = samples.length > 0 ? power / samples.length : 0;
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] as number) + sigma * rng.normal();
  return out;
}
