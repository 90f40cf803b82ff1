/** Seeded gallery and query fixtures for the search tests. */
import { SeededRandom } from '../../src/random/seeded-random.js';

export function randomVectors(rows: number, dims: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const out = new Float32Array(rows * dims);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

/** Brute-force reference: all rows ranked by true distance, nearest first, ties by row. */
export function bruteForce(
  gallery: Float32Array,
  query: Float32Array,
  dims: number,
  metric: 'cosine' | 'euclidean',
  k: number,
): { index: number; distance: number }[] {
  const rows = gallery.length / dims;
  const scored: { index: number; distance: number }[] = [];
  const qn = Math.hypot(...query);
  for (let r = 0; r < rows; r++) {
    const g = gallery.subarray(r * dims, (r + 1) * dims);
    if (metric === 'euclidean') {
      let s = 0;
      for (let j = 0; j < dims; j++) s += ((query[j] as number) - (g[j] as number)) ** 2;
      scored.push({ index: r, distance: Math.sqrt(s) });
    } else {
      let dot = 0;
      for (let j = 0; j < dims; j++) dot += (query[j] as number) * (g[j] as number);
      scored.push({ index: r, distance: 1 - dot / (qn * Math.hypot(...g)) });
    }
  }
  scored.sort((a, b) => a.distance - b.distance || a.index - b.index);
  return scored.slice(0, k);
}
