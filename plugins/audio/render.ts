/**
 * A log-mel spectrogram → sound: undo the log, map mel power back to linear power (the
 * filterbank's pseudo-inverse, refined by non-negative least squares), take the square root for
 * magnitude, and recover a phase by Griffin-Lim. The result is as loud as the spectrogram says,
 * only scaled down if it would clip.
 */
import type { LogMelExtractor } from './features.js';
import { griffinLim, type GriffinLimOptions } from './griffin-lim.js';
import { melPseudoInverse, melToLinear } from './mel.js';

/** Peak level a reconstruction is scaled to when it would otherwise clip. */
const MAX_PEAK = 0.99;
/** NNLS refinement steps after the pseudo-inverse; 100 puts a tone's peak on its own bins. */
const MEL_INVERSION_ITERATIONS = 100;

export interface LogMelRenderer {
  /** Log-mel [frames, bands] in natural log units → samples at the configured rate. */
  toSamples(logMel: Float32Array): Float32Array;
}

export function createLogMelRenderer(
  extractor: LogMelExtractor,
  griffinLimOptions: GriffinLimOptions,
): LogMelRenderer {
  let inverse: Float32Array | undefined;
  return {
    toSamples(logMel) {
      inverse ??= melPseudoInverse(extractor.filterbank);
      const mel = new Float32Array(logMel.length);
      for (let i = 0; i < mel.length; i++) {
        mel[i] = Math.max(0, Math.exp(logMel[i] as number) - extractor.logEpsilon);
      }
      const power = melToLinear(
        extractor.filterbank,
        inverse,
        mel,
        extractor.frames,
        MEL_INVERSION_ITERATIONS,
      );
      const magnitude = power.map(Math.sqrt);
      return limitPeak(griffinLim(magnitude, extractor.stft, griffinLimOptions));
    },
  };
}

function limitPeak(samples: Float32Array): Float32Array {
  let peak = 0;
  for (const v of samples) peak = Math.max(peak, Math.abs(v));
  if (peak <= MAX_PEAK) return samples;
  const gain = MAX_PEAK / peak;
  return samples.map((v) => v * gain);
}
