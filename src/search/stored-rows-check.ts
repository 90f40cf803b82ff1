/**
 * What a gallery row read back from disk must satisfy so that every search over it returns finite
 * distances: finite values, unit length (or zero) for cosine, and a magnitude whose square still
 * fits float32 for euclidean. Builds check the same bound, so an index that saves also loads.
 */
import type { Metric } from './types.js';

/** |x| up to this keeps ‖q − g‖² under float32's 3.4e38 for up to 10⁶ dims. */
export const MAX_EUCLIDEAN_ABS = 1e15;

/** Stored cosine rows are normalised in float32; anything further from unit length was edited. */
const UNIT_TOLERANCE = 1e-3;

/** A sentence naming the first row at fault, or undefined when every row is sound. */
export function storedRowsProblem(
  data: Float32Array,
  dims: number,
  metric: Metric,
): string | undefined {
  const rows = data.length / dims;
  for (let r = 0; r < rows; r++) {
    const o = r * dims;
    let squared = 0;
    for (let j = 0; j < dims; j++) {
      const v = data[o + j] as number;
      if (!Number.isFinite(v) || (metric === 'euclidean' && Math.abs(v) > MAX_EUCLIDEAN_ABS)) {
        return `row ${r}, column ${j} is ${v}`;
      }
      squared += v * v;
    }
    if (metric === 'cosine' && squared !== 0 && Math.abs(squared - 1) > UNIT_TOLERANCE) {
      return `row ${r} has length ${Math.sqrt(squared)}, but cosine rows are stored at unit length`;
    }
  }
  return undefined;
}
