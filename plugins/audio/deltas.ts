/**
 * Delta (velocity) and delta-delta (acceleration) features by the usual regression over ±2
 * frames, with the edge frames repeated: how each channel changes, which carries the
 * transitions between sounds independently of the speaker's average timbre.
 */

/** Regression half-width in frames, as in HTK and librosa's default (width 5). */
const HALF_WIDTH = 2;
const DENOMINATOR = 2 * (1 + 4);

/** Frame-major [frames, channels] → [frames, 3 * channels]: static, delta, delta-delta. */
export function appendDeltas(features: Float32Array, channels: number): Float32Array {
  const frames = features.length / channels;
  const width = 3 * channels;
  const out = new Float32Array(frames * width);
  for (let t = 0; t < frames; t++) {
    out.set(features.subarray(t * channels, (t + 1) * channels), t * width);
  }
  regress(out, frames, width, 0, channels, channels);
  regress(out, frames, width, channels, 2 * channels, channels);
  return out;
}

/** Writes the regression slope of columns [from, from + channels) into [to, to + channels). */
function regress(
  rows: Float32Array,
  frames: number,
  width: number,
  from: number,
  to: number,
  channels: number,
): void {
  for (let t = 0; t < frames; t++) {
    for (let c = 0; c < channels; c++) {
      let sum = 0;
      for (let n = 1; n <= HALF_WIDTH; n++) {
        const ahead = rows[Math.min(t + n, frames - 1) * width + from + c] as number;
        const behind = rows[Math.max(t - n, 0) * width + from + c] as number;
        sum += n * (ahead - behind);
      }
      rows[t * width + to + c] = sum / DENOMINATOR;
    }
  }
}
