/**
 * Approximate top-k search with HNSW (hnswlib-node). Builds are seeded (level draws and insertion
 * order are fixed), so the same gallery and options give the same graph. Hits use the same
 * distances as ExactIndex: 1 − cosine similarity, or euclidean (hnswlib's l2 is squared).
 */
import hnswlib from 'hnswlib-node';
import type * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors/errors.js';
import {
  checkGallery,
  checkGalleryValues,
  checkK,
  checkMetric,
  resolveIds,
} from './gallery-checks.js';
import { toMatrix } from './matrix.js';
import type { GalleryItems, Metric, SearchHit, VectorRows } from './types.js';

type Hnsw = InstanceType<typeof hnswlib.HierarchicalNSW>;

export interface HnswOptions {
  /** Links per node; more gives better recall and a bigger, slower-to-build graph. */
  readonly M: number;
  /** Candidate list size while building. */
  readonly efConstruction: number;
  /** Candidate list size while searching (raised to k when smaller). */
  readonly efSearch: number;
  readonly seed: number;
}

/** hnswlib silently caps M at 10000; M = 1 makes its level draw divide by ln 1 = 0. */
export const MAX_HNSW_M = 10_000;

export const DEFAULT_HNSW_OPTIONS: HnswOptions = {
  M: 16,
  efConstruction: 200,
  efSearch: 64,
  seed: 42,
};

export interface ApproximateIndexOptions extends GalleryItems, Partial<HnswOptions> {
  readonly metric: Metric;
  readonly dims?: number;
}

export class ApproximateIndex {
  readonly ids: readonly string[];
  readonly labels?: readonly number[];
  private efSearchValue: number;

  /** Use `build` or `loadApproximateIndex`; this wraps an already-filled graph. */
  constructor(
    private readonly graph: Hnsw,
    readonly metric: Metric,
    readonly dims: number,
    readonly size: number,
    readonly hnsw: HnswOptions,
    items: GalleryItems,
  ) {
    this.ids = resolveIds(size, items.ids);
    if (items.labels) this.labels = [...items.labels];
    this.efSearchValue = hnsw.efSearch;
    graph.setEf(hnsw.efSearch);
  }

  static build(
    gallery: VectorRows | tf.Tensor,
    options: ApproximateIndexOptions,
  ): ApproximateIndex {
    const metric = checkMetric(options.metric);
    const hnsw = resolveHnswOptions(options);
    const m = toMatrix('gallery', gallery, options.dims);
    checkGallery(m.rows, options);
    checkGalleryValues(m, metric);
    const graph = new hnswlib.HierarchicalNSW(spaceOf(metric), m.dims);
    graph.initIndex(m.rows, hnsw.M, hnsw.efConstruction, hnsw.seed);
    const row = new Array<number>(m.dims);
    for (let r = 0; r < m.rows; r++) {
      for (let j = 0; j < m.dims; j++) row[j] = m.data[r * m.dims + j] as number;
      graph.addPoint(row, r);
    }
    return new ApproximateIndex(graph, metric, m.dims, m.rows, hnsw, options);
  }

  get efSearch(): number {
    return this.efSearchValue;
  }

  /** Trades speed for recall at search time without rebuilding. */
  setEfSearch(ef: number): void {
    if (!Number.isInteger(ef) || ef < 1) {
      throw new UsageError(`efSearch: ${ef} is not a positive integer.`);
    }
    this.efSearchValue = ef;
    this.graph.setEf(ef);
  }

  /** The native graph, for saving; not part of the public API. */
  get nativeGraph(): Hnsw {
    return this.graph;
  }

  /**
   * `accept` (a row number → whether it may be returned) filters inside the graph walk, so a
   * selective filter still finds up to k rows, not the few of an unfiltered top-k that pass.
   */
  search(
    queries: VectorRows | tf.Tensor,
    k: number,
    accept?: (row: number) => boolean,
  ): SearchHit[][] {
    checkK(k, this.size);
    const q = toMatrix('queries', queries, this.dims);
    const row = new Array<number>(q.dims);
    const out: SearchHit[][] = [];
    for (let i = 0; i < q.rows; i++) {
      for (let j = 0; j < q.dims; j++) row[j] = q.data[i * q.dims + j] as number;
      const { distances, neighbors } =
        accept === undefined ? this.graph.searchKnn(row, k) : this.graph.searchKnn(row, k, accept);
      const order = neighbors.map((_, n) => n);
      order.sort(
        (a, b) =>
          (distances[a] as number) - (distances[b] as number) ||
          (neighbors[a] as number) - (neighbors[b] as number),
      );
      out.push(order.map((n) => this.toHit(neighbors[n] as number, distances[n] as number)));
    }
    return out;
  }

  private toHit(index: number, raw: number): SearchHit {
    const distance = this.metric === 'euclidean' ? Math.sqrt(Math.max(0, raw)) : raw;
    const id = this.ids[index] as string;
    const label = this.labels?.[index];
    return label === undefined ? { index, id, distance } : { index, id, label, distance };
  }
}

export function spaceOf(metric: Metric): 'cosine' | 'l2' {
  return metric === 'cosine' ? 'cosine' : 'l2';
}

function resolveHnswOptions(options: Partial<HnswOptions>): HnswOptions {
  const resolved: HnswOptions = {
    M: options.M ?? DEFAULT_HNSW_OPTIONS.M,
    efConstruction: options.efConstruction ?? DEFAULT_HNSW_OPTIONS.efConstruction,
    efSearch: options.efSearch ?? DEFAULT_HNSW_OPTIONS.efSearch,
    seed: options.seed ?? DEFAULT_HNSW_OPTIONS.seed,
  };
  for (const key of ['M', 'efConstruction', 'efSearch'] as const) {
    const v = resolved[key];
    if (!Number.isInteger(v) || v < 1) {
      throw new UsageError(`${key}: ${v} is not a positive integer.`);
    }
  }
  if (resolved.M < 2 || resolved.M > MAX_HNSW_M) {
    throw new UsageError(
      `M: ${resolved.M} is out of range; use 2 to ${MAX_HNSW_M} links per node.`,
    );
  }
  if (!Number.isInteger(resolved.seed) || resolved.seed < 0) {
    throw new UsageError(`seed: ${resolved.seed} must be a non-negative integer.`);
  }
  return resolved;
}
