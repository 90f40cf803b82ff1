/**
 * The plain-TS exact scan. For one or a few queries over a small gallery it beats the tensor path,
 * whose per-op dispatch and score-matrix allocation dominate there (see BENCHMARKS.md, W4).
 *
 * Scores are "larger is nearer": q·g for unit rows (cosine), 2q·g − ‖g‖² for euclidean, which
 * ranks like −‖q − g‖² without the per-query constant ‖q‖².
 */
import { TopKHeap } from './top-k-heap.js';

export interface ScanGallery {
  readonly data: Float32Array;
  readonly rows: number;
  readonly dims: number;
  /** ‖g‖² per row for euclidean scoring; absent for cosine (rows are unit length). */
  readonly squaredNorms?: Float32Array;
}

export interface ScanResult {
  readonly scores: Float32Array;
  readonly rows: Int32Array;
}

/** Gallery rows per block: 512 rows × 32 dims × 4 B = 64 KiB, about what L2 keeps hot. */
const BLOCK_ROWS = 512;

export function blockedScan(
  gallery: ScanGallery,
  queries: Float32Array,
  queryCount: number,
  k: number,
): ScanResult[] {
  const { data, rows, dims, squaredNorms } = gallery;
  const heaps = Array.from({ length: queryCount }, () => new TopKHeap(k));
  for (let start = 0; start < rows; start += BLOCK_ROWS) {
    const end = Math.min(rows, start + BLOCK_ROWS);
    for (let q = 0; q < queryCount; q++) {
      const heap = heaps[q] as TopKHeap;
      const qo = q * dims;
      let threshold = heap.threshold;
      for (let r = start; r < end; r++) {
        const go = r * dims;
        let dot = 0;
        for (let j = 0; j < dims; j++)
          dot += (queries[qo + j] as number) * (data[go + j] as number);
        const score = squaredNorms ? 2 * dot - (squaredNorms[r] as number) : dot;
        if (score > threshold) {
          heap.push(score, r);
          threshold = heap.threshold;
        }
      }
    }
  }
  return heaps.map((h) => h.sorted());
}
