/**
 * Samples → the features the model sees, before normalisation: log-mel, optionally floored to a
 * dynamic range, optionally turned into cepstra, optionally with deltas appended. Also the way
 * back as far as it goes (features → log-mel for render): deltas are dropped and cepstra give
 * the smoothed envelope; a dynamic-range floor cannot be undone.
 */
import { createCepstrum, type Cepstrum } from './cepstrum.js';
import { appendDeltas } from './deltas.js';
import { createLogMelExtractor, type LogMelExtractor } from './features.js';
import type { AudioOptions } from './options.js';

export interface AudioFeatureExtractor {
  readonly frames: number;
  /** Values per frame: melBands or mfccCoefficients, tripled with deltas. */
  readonly channels: number;
  readonly logMelExtractor: LogMelExtractor;
  /** Samples at the configured rate → un-normalised features [frames, channels]. */
  extract(samples: Float32Array): Float32Array;
  /** Un-normalised features [frames, channels] → log-mel [frames, melBands] for render. */
  toLogMel(features: Float32Array): Float32Array;
}

export function createAudioFeatureExtractor(options: AudioOptions): AudioFeatureExtractor {
  const logMelExtractor = createLogMelExtractor(options);
  const cepstrum: Cepstrum | undefined =
    options.features === 'mfcc'
      ? createCepstrum(logMelExtractor.bands, options.mfccCoefficients)
      : undefined;
  const staticChannels = cepstrum?.coefficients ?? logMelExtractor.bands;
  const channels = options.deltas ? 3 * staticChannels : staticChannels;
  const { frames } = logMelExtractor;
  const floorDb = options.dynamicRangeDb;
  return {
    frames,
    channels,
    logMelExtractor,
    extract(samples) {
      let logMel = logMelExtractor.logMel(samples);
      if (floorDb !== undefined) logMel = floorBelowPeak(logMel, floorDb);
      const statics = cepstrum ? cepstrum.fromLogMel(logMel) : logMel;
      return options.deltas ? appendDeltas(statics, staticChannels) : statics;
    },
    toLogMel(features) {
      const statics = options.deltas ? firstChannels(features, channels, staticChannels) : features;
      return cepstrum ? cepstrum.toLogMel(statics) : statics;
    },
  };
}

/** In place: raises every value to at least (peak − db dB) in natural-log power units. */
export function floorBelowPeak(logMel: Float32Array, db: number): Float32Array {
  let peak = -Infinity;
  for (const v of logMel) peak = Math.max(peak, v);
  const floor = peak - (db / 10) * Math.LN10;
  for (let i = 0; i < logMel.length; i++) logMel[i] = Math.max(logMel[i] as number, floor);
  return logMel;
}

/** [frames, width] → [frames, keep]: the first `keep` columns of each row. */
function firstChannels(rows: Float32Array, width: number, keep: number): Float32Array {
  const frames = rows.length / width;
  const out = new Float32Array(frames * keep);
  for (let t = 0; t < frames; t++) out.set(rows.subarray(t * width, t * width + keep), t * keep);
  return out;
}
