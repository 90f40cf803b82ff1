/**
 * Band-limited resampling by windowed-sinc interpolation. When downsampling, the sinc's cutoff
 * moves down to the new Nyquist frequency, so it doubles as the anti-alias low-pass filter.
 */

/** Zero crossings of the sinc kept on each side; 16 gives a steep transition band. */
const HALF_ZERO_CROSSINGS = 16;
/** Cutoff as a share of the lower Nyquist frequency, leaving room for the transition band. */
const ROLLOFF = 0.94;

/** The length `resample` gives for `inputLength` samples. */
export function resampledLength(inputLength: number, fromRate: number, toRate: number): number {
  return fromRate === toRate
    ? inputLength
    : Math.max(1, Math.round((inputLength * toRate) / fromRate));
}

/** Output indices start to start + length of a resampling. */
export interface ResampleRange {
  readonly start: number;
  readonly length: number;
}

/** Cutoff in cycles per input sample (below 0.5 when downsampling) and the sinc's half-width. */
function kernel(fromRate: number, toRate: number) {
  const cutoff = 0.5 * Math.min(1, toRate / fromRate) * ROLLOFF;
  return { cutoff, halfWidth: HALF_ZERO_CROSSINGS / (2 * cutoff) };
}

/**
 * The input samples (first, first + count) of an `inputLength`-sample signal that `range` of its
 * resampled output depends on, so a caller can decode only those.
 */
export function resampleInputSpan(
  range: ResampleRange,
  inputLength: number,
  fromRate: number,
  toRate: number,
): { readonly first: number; readonly count: number } {
  if (fromRate === toRate) return { first: range.start, count: range.length };
  const step = fromRate / toRate;
  const { halfWidth } = kernel(fromRate, toRate);
  // The same expressions as `resample`, so the span holds exactly the samples it reads.
  const first = Math.max(0, Math.ceil(range.start * step - halfWidth));
  const last = Math.min(
    inputLength - 1,
    Math.floor((range.start + range.length - 1) * step + halfWidth),
  );
  return { first, count: Math.max(0, last - first + 1) };
}

/**
 * Resamples `samples`; `range` asks for only part of the output, with exactly the values the
 * whole output would hold there. `inputStart` is the index of `samples[0]` in the whole input
 * when `samples` is only the span that `resampleInputSpan` gives for `range`.
 */
export function resample(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  range?: ResampleRange,
  inputStart = 0,
): Float32Array {
  const offset = range?.start ?? 0;
  if (fromRate === toRate) {
    return range
      ? samples.subarray(offset - inputStart, offset - inputStart + range.length)
      : samples;
  }
  const outLength = range?.length ?? resampledLength(samples.length, fromRate, toRate);
  const step = fromRate / toRate;
  const { cutoff, halfWidth } = kernel(fromRate, toRate);
  const end = inputStart + samples.length - 1;
  const out = new Float32Array(outLength);
  for (let i = 0; i < outLength; i++) {
    const centre = (offset + i) * step;
    const first = Math.max(inputStart, Math.ceil(centre - halfWidth));
    const last = Math.min(end, Math.floor(centre + halfWidth));
    let sum = 0;
    for (let j = first; j <= last; j++) {
      const t = j - centre;
      sum += (samples[j - inputStart] as number) * lowPassTap(t, cutoff) * blackman(t / halfWidth);
    }
    out[i] = sum;
  }
  return out;
}

/** Impulse response of an ideal low-pass with the given cutoff, at offset t (input samples). */
function lowPassTap(t: number, cutoff: number): number {
  if (t === 0) return 2 * cutoff;
  const x = 2 * Math.PI * cutoff * t;
  return (2 * cutoff * Math.sin(x)) / x;
}

/** Blackman window on u ∈ [-1, 1], zero outside. */
function blackman(u: number): number {
  if (u <= -1 || u >= 1) return 0;
  const x = Math.PI * (u + 1);
  return 0.42 - 0.5 * Math.cos(x) + 0.08 * Math.cos(2 * x);
}
