/**
 * Samples at the configured rate → a fixed-size log-mel spectrogram [frames, melBands],
 * frame-major. The clip is first centred in a window of fixed duration (zero-padded or trimmed),
 * so every sample has the same shape whatever its length.
 */
import type { AudioOptions } from './options.js';
import { applyMel, melFilterbank, type MelFilterbank } from './mel.js';
import { createStft, powerOf, stftLayout, type Stft } from './stft.js';

export interface LogMelExtractor {
  readonly frames: number;
  readonly bands: number;
  /** Samples in the fixed-duration window. */
  readonly signalLength: number;
  readonly logEpsilon: number;
  readonly stft: Stft;
  readonly filterbank: MelFilterbank;
  logMel(samples: Float32Array): Float32Array;
}

export function createLogMelExtractor(options: AudioOptions): LogMelExtractor {
  const signalLength = Math.round(options.sampleRate * options.durationSeconds);
  const layout = stftLayout(signalLength, options.frameLength, options.hopLength, options.fftSize);
  const stft = createStft(layout);
  const filterbank = melFilterbank({
    sampleRate: options.sampleRate,
    fftSize: options.fftSize,
    bands: options.melBands,
    fMin: options.fMin,
    fMax: options.fMax ?? options.sampleRate / 2,
  });
  const eps = options.logEpsilon;
  return {
    frames: layout.frames,
    bands: options.melBands,
    signalLength,
    logEpsilon: eps,
    stft,
    filterbank,
    logMel(samples) {
      const power = powerOf(stft.forward(centreInWindow(samples, signalLength)));
      const mel = applyMel(filterbank, power, layout.frames);
      for (let i = 0; i < mel.length; i++) mel[i] = Math.log((mel[i] as number) + eps);
      return mel;
    },
  };
}

/** Pads with zeros on both sides, or keeps the middle, so the result has exactly `length`. */
export function centreInWindow(samples: Float32Array, length: number): Float32Array {
  if (samples.length === length) return samples;
  const out = new Float32Array(length);
  if (samples.length < length) {
    out.set(samples, Math.floor((length - samples.length) / 2));
  } else {
    const start = Math.floor((samples.length - length) / 2);
    out.set(samples.subarray(start, start + length));
  }
  return out;
}
