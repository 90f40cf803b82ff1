/**
 * Mel-frequency cepstral coefficients: an orthonormal DCT-II across the mel bands of each frame
 * of log-mel, keeping the first coefficients. Keeping few coefficients keeps the spectral
 * envelope (the formants that tell digits apart) and drops the fine structure (the pitch
 * harmonics that tell speakers apart). The inverse puts the kept coefficients back through the
 * transposed matrix: the result is the smoothed log-mel envelope, the dropped detail is gone.
 */

export interface Cepstrum {
  readonly bands: number;
  readonly coefficients: number;
  /** Frame-major log-mel [frames, bands] → cepstra [frames, coefficients]. */
  fromLogMel(logMel: Float32Array): Float32Array;
  /** Cepstra [frames, coefficients] → smoothed log-mel [frames, bands]. */
  toLogMel(cepstra: Float32Array): Float32Array;
}

/** Row k of the orthonormal DCT-II of size `bands`, for k < coefficients, row-major. */
export function dctMatrix(bands: number, coefficients: number): Float64Array {
  const matrix = new Float64Array(coefficients * bands);
  for (let k = 0; k < coefficients; k++) {
    const scale = Math.sqrt((k === 0 ? 1 : 2) / bands);
    for (let n = 0; n < bands; n++) {
      matrix[k * bands + n] = scale * Math.cos((Math.PI / bands) * (n + 0.5) * k);
    }
  }
  return matrix;
}

export function createCepstrum(bands: number, coefficients: number): Cepstrum {
  const matrix = dctMatrix(bands, coefficients);
  return {
    bands,
    coefficients,
    fromLogMel(logMel) {
      const frames = logMel.length / bands;
      const out = new Float32Array(frames * coefficients);
      for (let t = 0; t < frames; t++) {
        for (let k = 0; k < coefficients; k++) {
          let sum = 0;
          for (let n = 0; n < bands; n++) {
            sum += (matrix[k * bands + n] as number) * (logMel[t * bands + n] as number);
          }
          out[t * coefficients + k] = sum;
        }
      }
      return out;
    },
    toLogMel(cepstra) {
      const frames = cepstra.length / coefficients;
      const out = new Float32Array(frames * bands);
      for (let t = 0; t < frames; t++) {
        for (let n = 0; n < bands; n++) {
          let sum = 0;
          for (let k = 0; k < coefficients; k++) {
            sum += (matrix[k * bands + n] as number) * (cepstra[t * coefficients + k] as number);
          }
          out[t * bands + n] = sum;
        }
      }
      return out;
    },
  };
}
