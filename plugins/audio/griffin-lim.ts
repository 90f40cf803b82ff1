/**
 * Phase reconstruction from a magnitude spectrogram by fast Griffin-Lim (Perraudin, Balazs and
 * Søndergaard 2013): alternate between the consistent STFT of the current signal and the target
 * magnitude, with momentum on the projection, which converges in far fewer iterations.
 */
import { SeededRandom } from 'mmae/portable';
import type { ComplexSpectrogram, Stft } from './stft.js';

export interface GriffinLimOptions {
  readonly iterations: number;
  readonly momentum: number;
  /** Seeds the initial random phase. */
  readonly seed: number;
}

/** magnitude: frame-major [frames, bins] for `stft.layout`. Returns the time signal. */
export function griffinLim(
  magnitude: Float32Array,
  stft: Stft,
  options: GriffinLimOptions,
): Float32Array {
  const random = new SeededRandom(options.seed);
  const size = magnitude.length;
  const estimate: ComplexSpectrogram = { re: new Float32Array(size), im: new Float32Array(size) };
  for (let i = 0; i < size; i++) {
    const phase = 2 * Math.PI * random.next();
    estimate.re[i] = (magnitude[i] as number) * Math.cos(phase);
    estimate.im[i] = (magnitude[i] as number) * Math.sin(phase);
  }
  let previous: ComplexSpectrogram = { re: new Float32Array(size), im: new Float32Array(size) };
  for (let it = 0; it < options.iterations; it++) {
    const projected = stft.forward(stft.inverse(estimate));
    for (let i = 0; i < size; i++) {
      const re =
        (projected.re[i] as number) +
        options.momentum * ((projected.re[i] as number) - (previous.re[i] as number));
      const im =
        (projected.im[i] as number) +
        options.momentum * ((projected.im[i] as number) - (previous.im[i] as number));
      const norm = Math.hypot(re, im);
      const scale = norm > 1e-12 ? (magnitude[i] as number) / norm : 0;
      estimate.re[i] = re * scale;
      estimate.im[i] = im * scale;
    }
    previous = projected;
  }
  return stft.inverse(estimate);
}
