/**
 * Triangular mel filterbank on the HTK mel scale, stored sparsely (each band touches a short run
 * of FFT bins), and its regularised pseudo-inverse for going back from mel to linear power.
 */
import { ConfigError } from 'mmae/portable';
import { cholesky, choleskySolve } from './cholesky.js';

export interface MelFilterbank {
  readonly bands: number;
  readonly bins: number;
  /** Dense [bands, bins] weights, row-major. */
  readonly weights: Float32Array;
  /** First and one-past-last non-zero bin of each band. */
  readonly start: Int32Array;
  readonly end: Int32Array;
}

export const hzToMel = (hz: number): number => 2595 * Math.log10(1 + hz / 700);
export const melToHz = (mel: number): number => 700 * (10 ** (mel / 2595) - 1);

export interface MelFilterbankSpec {
  readonly sampleRate: number;
  readonly fftSize: number;
  readonly bands: number;
  readonly fMin: number;
  readonly fMax: number;
}

export function melFilterbank(spec: MelFilterbankSpec): MelFilterbank {
  const { sampleRate, fftSize, bands, fMin, fMax } = spec;
  const bins = fftSize / 2 + 1;
  const lowMel = hzToMel(fMin);
  const step = (hzToMel(fMax) - lowMel) / (bands + 1);
  const edges = Array.from({ length: bands + 2 }, (_, i) => melToHz(lowMel + i * step));
  const weights = new Float32Array(bands * bins);
  const start = new Int32Array(bands);
  const end = new Int32Array(bands);
  for (let m = 0; m < bands; m++) {
    const [lower, centre, upper] = [edges[m], edges[m + 1], edges[m + 2]] as [
      number,
      number,
      number,
    ];
    start[m] = bins;
    for (let k = 0; k < bins; k++) {
      const hz = (k * sampleRate) / fftSize;
      const w = Math.max(
        0,
        Math.min((hz - lower) / (centre - lower), (upper - hz) / (upper - centre)),
      );
      if (w <= 0) continue;
      weights[m * bins + k] = w;
      start[m] = Math.min(start[m] as number, k);
      end[m] = k + 1;
    }
    if (end[m] === 0) {
      throw new ConfigError(
        `audio options: mel band ${m} (${lower.toFixed(1)}–${upper.toFixed(1)} Hz) falls between ` +
          `FFT bins (${(sampleRate / fftSize).toFixed(1)} Hz apart); lower melBands, raise fftSize ` +
          'or raise fMin',
        'melBands',
      );
    }
  }
  return { bands, bins, weights, start, end };
}

/** Frame-major power [frames, bins] → mel power [frames, bands]. */
export function applyMel(fb: MelFilterbank, power: Float32Array, frames: number): Float32Array {
  const out = new Float32Array(frames * fb.bands);
  for (let t = 0; t < frames; t++) {
    for (let m = 0; m < fb.bands; m++) {
      let sum = 0;
      for (let k = fb.start[m] as number; k < (fb.end[m] as number); k++) {
        sum += (fb.weights[m * fb.bins + k] as number) * (power[t * fb.bins + k] as number);
      }
      out[t * fb.bands + m] = sum;
    }
  }
  return out;
}

/**
 * Pseudo-inverse Wᵀ(WWᵀ + λI)⁻¹ as a dense [bins, bands] matrix. Neighbouring low bands overlap
 * almost completely when bins are coarse, so a small ridge λ keeps the solve well conditioned.
 */
export function melPseudoInverse(fb: MelFilterbank): Float32Array {
  const { bands, bins, weights } = fb;
  const gram = new Float64Array(bands * bands);
  let trace = 0;
  for (let a = 0; a < bands; a++) {
    for (let b = 0; b < bands; b++) {
      let sum = 0;
      for (let k = 0; k < bins; k++) {
        sum += (weights[a * bins + k] as number) * (weights[b * bins + k] as number);
      }
      gram[a * bands + b] = sum;
    }
    trace += gram[a * bands + a] as number;
  }
  const ridge = (1e-4 * trace) / bands;
  for (let a = 0; a < bands; a++) gram[a * bands + a] = (gram[a * bands + a] as number) + ridge;
  const factor = cholesky(gram, bands);
  // Column k of (WWᵀ + λI)⁻¹W is the solve against column k of W; row k of the result.
  const inverse = new Float32Array(bins * bands);
  const column = new Float64Array(bands);
  for (let k = 0; k < bins; k++) {
    for (let m = 0; m < bands; m++) column[m] = weights[m * bins + k] as number;
    choleskySolve(factor, bands, column);
    for (let m = 0; m < bands; m++) inverse[k * bands + m] = column[m] as number;
  }
  return inverse;
}

/** Mel power [frames, bands] → non-negative linear power [frames, bins]. */
export function melToLinear(
  fb: MelFilterbank,
  inverse: Float32Array,
  mel: Float32Array,
  frames: number,
  refineIterations = 0,
): Float32Array {
  const { bands, bins } = fb;
  const out = new Float32Array(frames * bins);
  const linear = new Float64Array(bins);
  for (let t = 0; t < frames; t++) {
    const target = mel.subarray(t * bands, (t + 1) * bands);
    let total = 0;
    for (let k = 0; k < bins; k++) {
      let sum = 0;
      for (let m = 0; m < bands; m++)
        sum += (inverse[k * bands + m] as number) * (target[m] as number);
      linear[k] = Math.max(0, sum);
      total += linear[k] as number;
    }
    if (total > 0) refineNonNegative(fb, target, linear, refineIterations, total / bins);
    for (let k = 0; k < bins; k++) out[t * bins + k] = linear[k] as number;
  }
  return out;
}

/**
 * Multiplicative non-negative least-squares updates x ← x · Wᵀy / WᵀWx (Lee and Seung). Started
 * from the clamped pseudo-inverse, they pull energy that the minimum-norm solution smeared
 * across a band back onto the bins that explain it, sharpening tones.
 */
function refineNonNegative(
  fb: MelFilterbank,
  target: Float32Array,
  linear: Float64Array,
  iterations: number,
  floor: number,
): void {
  const { bands, bins, weights, start, end } = fb;
  const numerator = new Float64Array(bins);
  const predicted = new Float64Array(bands);
  // A zero bin can never grow under multiplicative updates; a tiny floor lets it.
  for (let k = 0; k < bins; k++) linear[k] = (linear[k] as number) + 1e-3 * floor;
  for (let m = 0; m < bands; m++) {
    for (let k = start[m] as number; k < (end[m] as number); k++) {
      numerator[k] =
        (numerator[k] as number) + (weights[m * bins + k] as number) * (target[m] as number);
    }
  }
  for (let it = 0; it < iterations; it++) {
    for (let m = 0; m < bands; m++) {
      let sum = 0;
      for (let k = start[m] as number; k < (end[m] as number); k++) {
        sum += (weights[m * bins + k] as number) * (linear[k] as number);
      }
      predicted[m] = sum;
    }
    const denominator = new Float64Array(bins);
    for (let m = 0; m < bands; m++) {
      for (let k = start[m] as number; k < (end[m] as number); k++) {
        denominator[k] =
          (denominator[k] as number) + (weights[m * bins + k] as number) * (predicted[m] as number);
      }
    }
    for (let k = 0; k < bins; k++) {
      const d = denominator[k] as number;
      linear[k] = d > 0 ? ((linear[k] as number) * (numerator[k] as number)) / d : 0;
    }
  }
}
