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

/**
 * Resamples `samples`; `range` asks for only part of the output (output indices start to
 * start + length), with exactly the values the whole output would hold there.
 */
export function resample(
  samples: Float32Array,
  fromRate: number,
  toRate: number,
  range?: { readonly start: number; readonly length: number },
): Float32Array {
  const offset = range?.start ?? 0;
  if (fromRate === toRate) {
    return range ? samples.subarray(offset, offset + range.length) : samples;
  }
  const outLength = range?.length ?? resampledLength(samples.length, fromRate, toRate);
  const step = fromRate / toRate;
  // Cutoff in cycles per input sample; below 0.5 when downsampling.
  const cutoff = 0.5 * Math.min(1, toRate / fromRate) * ROLLOFF;
  const halfWidth = HALF_ZERO_CROSSINGS / (2 * cutoff);
  const out = new Float32Array(outLength);
  for (let i = 0; i < outLength; i++) {
    const centre = (offset + i) * step;
    const first = Math.max(0, Math.ceil(centre - halfWidth));
    const last = Math.min(samples.length - 1, Math.floor(centre + halfWidth));
    let sum = 0;
    for (let j = first; j <= last; j++) {
      const t = j - centre;
      sum += (samples[j] as number) * lowPassTap(t, cutoff) * blackman(t / halfWidth);
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
