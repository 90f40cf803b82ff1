/**
 * Short-time Fourier transform and its overlap-add inverse, on plain Float32Arrays (the wasm
 * backend has no FFT kernel). Frames are centred: frame t covers samples around t * hop, with
 * zeros beyond the signal's ends, as librosa's `center=True` does.
 */
import FFT from 'fft.js';

export interface StftLayout {
  /** Samples in the signal the layout is built for. */
  readonly signalLength: number;
  readonly frameLength: number;
  readonly hopLength: number;
  readonly fftSize: number;
  readonly frames: number;
  /** fftSize / 2 + 1 non-negative frequency bins. */
  readonly bins: number;
}

/** Frame-major [frames, bins] complex values. */
export interface ComplexSpectrogram {
  readonly re: Float32Array;
  readonly im: Float32Array;
}

export interface Stft {
  readonly layout: StftLayout;
  forward(signal: Float32Array): ComplexSpectrogram;
  /** Windowed overlap-add, normalised by the summed squared window (least-squares inverse). */
  inverse(spectrogram: ComplexSpectrogram): Float32Array;
}

export function stftLayout(
  signalLength: number,
  frameLength: number,
  hopLength: number,
  fftSize: number,
): StftLayout {
  return {
    signalLength,
    frameLength,
    hopLength,
    fftSize,
    frames: 1 + Math.floor(signalLength / hopLength),
    bins: fftSize / 2 + 1,
  };
}

/** Periodic Hann window, the form whose shifted copies sum to a constant. */
export function hannWindow(length: number): Float32Array {
  const w = new Float32Array(length);
  for (let i = 0; i < length; i++) w[i] = 0.5 - 0.5 * Math.cos((2 * Math.PI * i) / length);
  return w;
}

export function createStft(layout: StftLayout): Stft {
  const { signalLength, frameLength, hopLength, fftSize, frames, bins } = layout;
  const window = hannWindow(frameLength);
  const fft = new FFT(fftSize);
  const frameIn = new Float64Array(fftSize);
  const spectrum = new Float64Array(2 * fftSize);
  const timeOut = new Float64Array(2 * fftSize);
  const offset = Math.floor(frameLength / 2);
  const windowSquareSum = overlapWindowSquares(layout, window, offset);

  function forward(signal: Float32Array): ComplexSpectrogram {
    const re = new Float32Array(frames * bins);
    const im = new Float32Array(frames * bins);
    for (let t = 0; t < frames; t++) {
      const start = t * hopLength - offset;
      frameIn.fill(0);
      for (let j = 0; j < frameLength; j++) {
        const n = start + j;
        if (n >= 0 && n < signal.length) frameIn[j] = (signal[n] as number) * (window[j] as number);
      }
      fft.realTransform(spectrum, frameIn);
      for (let k = 0; k < bins; k++) {
        re[t * bins + k] = spectrum[2 * k] as number;
        im[t * bins + k] = spectrum[2 * k + 1] as number;
      }
    }
    return { re, im };
  }

  function inverse({ re, im }: ComplexSpectrogram): Float32Array {
    const out = new Float32Array(signalLength);
    for (let t = 0; t < frames; t++) {
      fillHermitian(spectrum, re, im, t * bins, fftSize);
      fft.inverseTransform(timeOut, spectrum);
      const start = t * hopLength - offset;
      for (let j = 0; j < frameLength; j++) {
        const n = start + j;
        if (n >= 0 && n < signalLength) {
          out[n] = (out[n] as number) + (timeOut[2 * j] as number) * (window[j] as number);
        }
      }
    }
    for (let n = 0; n < signalLength; n++) {
      const norm = windowSquareSum[n] as number;
      out[n] = norm > 1e-8 ? (out[n] as number) / norm : 0;
    }
    return out;
  }

  return { layout, forward, inverse };
}

/** Rebuilds a full spectrum from non-negative bins, so the inverse FFT is real. */
function fillHermitian(
  spectrum: Float64Array,
  re: Float32Array,
  im: Float32Array,
  base: number,
  fftSize: number,
): void {
  const half = fftSize / 2;
  for (let k = 0; k <= half; k++) {
    spectrum[2 * k] = re[base + k] as number;
    spectrum[2 * k + 1] = k === 0 || k === half ? 0 : (im[base + k] as number);
  }
  for (let k = half + 1; k < fftSize; k++) {
    spectrum[2 * k] = spectrum[2 * (fftSize - k)] as number;
    spectrum[2 * k + 1] = -(spectrum[2 * (fftSize - k) + 1] as number);
  }
}

function overlapWindowSquares(
  layout: StftLayout,
  window: Float32Array,
  offset: number,
): Float32Array {
  const sum = new Float32Array(layout.signalLength);
  for (let t = 0; t < layout.frames; t++) {
    const start = t * layout.hopLength - offset;
    for (let j = 0; j < layout.frameLength; j++) {
      const n = start + j;
      if (n >= 0 && n < layout.signalLength) {
        sum[n] = (sum[n] as number) + (window[j] as number) ** 2;
      }
    }
  }
  return sum;
}

/** |X|² per bin, frame-major [frames, bins]. */
export function powerOf({ re, im }: ComplexSpectrogram): Float32Array {
  const power = new Float32Array(re.length);
  for (let i = 0; i < re.length; i++) power[i] = (re[i] as number) ** 2 + (im[i] as number) ** 2;
  return power;
}
