/**
 * Exact top-k search over an embedding gallery. Two paths compute the same ranking:
 * - tensor: the gallery lives on the tfjs backend as one tensor; a batch of queries is one
 *   fused matMul (scores) and one topk;
 * - scan: a blocked Float32Array loop in plain TS (blocked-scan.ts).
 * 'auto' picks per call by backend and work size; the crossover was measured (BENCHMARKS.md).
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors/errors.js';
import { blockedScan, type ScanGallery, type ScanResult } from './blocked-scan.js';
import {
  checkGallery,
  checkGalleryValues,
  checkK,
  checkMetric,
  resolveIds,
} from './gallery-checks.js';
import { normalizeRows, rowSquaredNorms, toMatrix } from './matrix.js';
import type { GalleryItems, Matrix, Metric, SearchHit, VectorRows } from './types.js';

export type ExactStrategy = 'auto' | 'tensor' | 'scan';

export interface ExactIndexOptions extends GalleryItems {
  readonly metric: Metric;
  /** Vector length; required when the gallery is a flat Float32Array. */
  readonly dims?: number;
  /** Default 'auto'. */
  readonly strategy?: ExactStrategy;
}

/**
 * Up to this many multiply-adds per search call (queries × gallery rows × dims) 'auto' uses the
 * plain-TS scan, per backend. Measured with bench/workloads/w4-crossover.ts (BENCHMARKS.md): on
 * wasm (SIMD matMul) the tensor path wins from ~100 rows × 1 query up; on the pure-JS cpu backend
 * the scan wins at every size measured (up to 100k rows × 100 queries). Other backends: tensor.
 */
export const SCAN_MAX_WORK: Readonly<Record<string, number>> = {
  wasm: 4096,
  cpu: Number.POSITIVE_INFINITY,
};

/** Score matrix budget per tensor batch, in floats (16 MiB); bounds memory at 1M-row galleries. */
const SCORE_BUDGET = 4 * 1024 * 1024;

export class ExactIndex {
  readonly metric: Metric;
  readonly dims: number;
  readonly size: number;
  readonly ids: readonly string[];
  readonly labels?: readonly number[];
  private readonly strategy: ExactStrategy;
  /** Search-ready rows: unit length for cosine, as given for euclidean. */
  private readonly scan: ScanGallery;
  private galleryTensor?: tf.Tensor2D;
  private biasTensor?: tf.Tensor1D;
  private disposed = false;

  private constructor(
    gallery: Matrix,
    metric: Metric,
    items: GalleryItems,
    strategy: ExactStrategy,
  ) {
    this.metric = metric;
    this.dims = gallery.dims;
    this.size = gallery.rows;
    this.ids = resolveIds(gallery.rows, items.ids);
    if (items.labels) this.labels = [...items.labels];
    this.strategy = strategy;
    this.scan =
      metric === 'cosine' ? { ...gallery } : { ...gallery, squaredNorms: rowSquaredNorms(gallery) };
  }

  /** Builds an index; the gallery is copied (and normalised once for cosine). */
  static build(gallery: VectorRows | tf.Tensor, options: ExactIndexOptions): ExactIndex {
    const metric = checkMetric(options.metric);
    const strategy = options.strategy ?? 'auto';
    if (!['auto', 'tensor', 'scan'].includes(strategy)) {
      throw new UsageError(`strategy: '${strategy}' is not one of auto, tensor, scan.`);
    }
    const m = toMatrix('gallery', gallery, options.dims);
    checkGallery(m.rows, options);
    checkGalleryValues(m, metric);
    const copy: Matrix = { ...m, data: Float32Array.from(m.data) };
    if (metric === 'cosine') normalizeRows(copy);
    return new ExactIndex(copy, metric, options, strategy);
  }

  /** Rebuilds from stored search-ready rows (used by load; rows are already normalised). */
  static fromStoredRows(
    rows: Matrix,
    metric: Metric,
    items: GalleryItems,
    strategy: ExactStrategy = 'auto',
  ): ExactIndex {
    checkGallery(rows.rows, items);
    return new ExactIndex(rows, metric, items, strategy);
  }

  /** The search-ready rows (unit length for cosine); what `saveExactIndex` writes. */
  get storedRows(): Matrix {
    return { data: this.scan.data, rows: this.size, dims: this.dims };
  }

  /** Top-k neighbours of each query, nearest first. */
  search(queries: VectorRows | tf.Tensor, k: number): SearchHit[][] {
    if (this.disposed)
      throw new UsageError('search: this index was disposed; build or load it again.');
    checkK(k, this.size);
    const q = toMatrix('queries', queries, this.dims);
    if (q.rows === 0) return [];
    const prepared = this.prepareQueries(q);
    const useScan = this.chooseScan(q.rows);
    const results = useScan
      ? blockedScan(this.scan, prepared.data, q.rows, k)
      : this.tensorSearch(prepared, k);
    return results.map((r, i) => this.toHits(r, q, i));
  }

  /** Frees the backend tensors; the index cannot search afterwards. */
  dispose(): void {
    this.galleryTensor?.dispose();
    this.biasTensor?.dispose();
    this.galleryTensor = undefined;
    this.biasTensor = undefined;
    this.disposed = true;
  }

  private chooseScan(queryCount: number): boolean {
    if (this.strategy !== 'auto') return this.strategy === 'scan';
    const limit = SCAN_MAX_WORK[tf.getBackend()] ?? 0;
    return queryCount * this.size * this.dims <= limit;
  }

  private prepareQueries(q: Matrix): Matrix {
    if (this.metric !== 'cosine') return q;
    return normalizeRows({ ...q, data: Float32Array.from(q.data) });
  }

  /**
   * Uploads the gallery once, lazily, so an index only ever searched by scan holds no tensor.
   * Euclidean stores 2g and −‖g‖² so one fused matMul with a bias gives 2q·g − ‖g‖².
   * The gallery is stored transposed, [dims, n]: the wasm backend's fused matMul adds the bias
   * wrongly to rows after the first when transposeB is set (tfjs 4.22).
   */
  private ensureTensors(): { gallery: tf.Tensor2D; bias?: tf.Tensor1D } {
    if (!this.galleryTensor) {
      const { data, rows, dims, squaredNorms } = this.scan;
      if (squaredNorms) {
        this.galleryTensor = tf.tidy(() => tf.tensor2d(data, [rows, dims]).mul(2).transpose());
        this.biasTensor = tf.tensor1d(squaredNorms.map((v) => -v));
      } else {
        this.galleryTensor = tf.tidy(() => tf.tensor2d(data, [rows, dims]).transpose());
      }
    }
    return { gallery: this.galleryTensor, bias: this.biasTensor };
  }

  private tensorSearch(q: Matrix, k: number): ScanResult[] {
    const { gallery, bias } = this.ensureTensors();
    const batch = Math.max(1, Math.floor(SCORE_BUDGET / this.size));
    const out: ScanResult[] = [];
    for (let start = 0; start < q.rows; start += batch) {
      const count = Math.min(batch, q.rows - start);
      const slice = q.data.subarray(start * q.dims, (start + count) * q.dims);
      const [values, indices] = tf.tidy(() => {
        const qt = tf.tensor2d(slice, [count, q.dims]);
        const scores = tf.fused.matMul({ a: qt, b: gallery, bias });
        const top = tf.topk(scores, k, true);
        return [top.values, top.indices];
      });
      const v = values.dataSync() as Float32Array;
      const ix = indices.dataSync() as Int32Array;
      values.dispose();
      indices.dispose();
      for (let i = 0; i < count; i++) {
        out.push({ scores: v.slice(i * k, (i + 1) * k), rows: ix.slice(i * k, (i + 1) * k) });
      }
    }
    return out;
  }

  private toHits(result: ScanResult, q: Matrix, queryRow: number): SearchHit[] {
    let qNorm = 0;
    if (this.metric === 'euclidean') {
      for (let j = 0; j < q.dims; j++) qNorm += (q.data[queryRow * q.dims + j] as number) ** 2;
    }
    const hits: SearchHit[] = [];
    for (let i = 0; i < result.rows.length; i++) {
      const row = result.rows[i] as number;
      const score = result.scores[i] as number;
      const distance = this.metric === 'cosine' ? 1 - score : Math.sqrt(Math.max(0, qNorm - score));
      const label = this.labels?.[row];
      hits.push(
        label === undefined
          ? { index: row, id: this.ids[row] as string, distance }
          : { index: row, id: this.ids[row] as string, label, distance },
      );
    }
    return hits;
  }
}
