/**
 * The in-process VectorStore: a gallery held in this process, searched by the exact index (or by
 * a loaded HNSW index). It is the embedded default; the PostgreSQL store answers the same calls.
 *
 * Two ways in:
 * - `InProcessVectorStore.create` starts empty and takes rows by addBatch. It keeps the rows as
 *   given, so either metric can be searched; the exact index over all rows is built at the first
 *   search after a change and kept until the next one.
 * - `InProcessVectorStore.fromIndex` wraps an index already built or loaded from RUN/index/, so
 *   retrieval on a saved index goes through the store unchanged: an unfiltered search of the
 *   index's own metric is exactly `index.search`.
 *
 * A filter, or the other metric, is answered by an exact scan over the matching rows (the
 * plain-TS scan: no tensor is made, so tf.memory() stays flat).
 */
import { UsageError } from '../errors/errors.js';
import { ApproximateIndex } from './approximate-index.js';
import { ExactIndex } from './exact-index.js';
import type { Matrix, Metric, SearchHit, VectorRows } from './types.js';
import {
  checkBatch,
  checkFilter,
  checkSearch,
  rowMatches,
  type AddResult,
  type RowMetadata,
  type StoreHit,
  type StoreSearchOptions,
  type VectorFilter,
  type VectorStore,
} from './vector-store.js';

export interface InProcessStoreOptions {
  readonly dims: number;
  readonly metric: Metric;
  /** How messages name the gallery, e.g. its index directory. Default "the in-process gallery". */
  readonly location?: string;
}

export class InProcessVectorStore implements VectorStore {
  readonly location: string;
  readonly dims: number;
  readonly metric: Metric;
  private data: Float32Array;
  private size = 0;
  private readonly ids: string[] = [];
  private readonly rowOf = new Map<string, number>();
  private readonly labels: (number | null)[] = [];
  private readonly metadata: (RowMetadata | null)[] = [];
  /** The index over all rows for `metric`; rebuilt lazily after addBatch. */
  private index?: ExactIndex | ApproximateIndex;
  /** A saved HNSW index keeps no vectors we can scan; only its graph answers. */
  private readonly graphOnly: boolean;
  /** Rows of a saved cosine index are stored unit-length: euclidean distances are lost. */
  private readonly unitRows: boolean;
  private closed = false;

  private constructor(options: InProcessStoreOptions, graphOnly = false, unitRows = false) {
    if (!Number.isInteger(options.dims) || options.dims < 1) {
      throw new UsageError(`dims: ${String(options.dims)} is not a positive whole number.`);
    }
    this.dims = options.dims;
    this.metric = options.metric;
    this.location = options.location ?? 'the in-process gallery';
    this.data = new Float32Array(0);
    this.graphOnly = graphOnly;
    this.unitRows = unitRows;
  }

  static create(options: InProcessStoreOptions): InProcessVectorStore {
    return new InProcessVectorStore(options);
  }

  /** Wraps a built or loaded index; the store owns it from now on (close disposes it). */
  static fromIndex(index: ExactIndex | ApproximateIndex, location?: string): InProcessVectorStore {
    const graphOnly = index instanceof ApproximateIndex;
    const store = new InProcessVectorStore(
      { dims: index.dims, metric: index.metric, ...(location ? { location } : {}) },
      graphOnly,
      !graphOnly && index.metric === 'cosine',
    );
    if (index instanceof ExactIndex) {
      store.data = index.storedRows.data;
    }
    store.size = index.size;
    index.ids.forEach((id, row) => {
      store.ids.push(id);
      store.rowOf.set(id, row);
      store.labels.push(index.labels?.[row] ?? null);
      store.metadata.push(null);
    });
    store.index = index;
    return store;
  }

  // async throughout, so every refusal is a rejected promise as it is for a database store.
  async addBatch(
    ids: readonly string[],
    codes: VectorRows,
    labels?: readonly (number | null)[],
    metadata?: readonly (RowMetadata | null)[],
  ): Promise<AddResult> {
    this.checkOpen('addBatch');
    if (this.graphOnly || this.unitRows) {
      throw new UsageError(
        `addBatch: ${this.location} is a saved index; rebuild it with mmae index rather than ` +
          'appending to it.',
      );
    }
    const batch = checkBatch(this.dims, ids, codes, labels, metadata);
    let added = 0;
    for (let i = 0; i < batch.ids.length; i++) {
      const id = batch.ids[i] as string;
      if (this.rowOf.has(id)) continue;
      this.ensureCapacity(this.size + 1);
      this.data.set(
        batch.codes.data.subarray(i * this.dims, (i + 1) * this.dims),
        this.size * this.dims,
      );
      this.rowOf.set(id, this.size);
      this.ids.push(id);
      this.labels.push(batch.labels[i] ?? null);
      this.metadata.push(batch.metadata[i] ?? null);
      this.size++;
      added++;
    }
    if (added > 0) this.dropIndex();
    return { added, skipped: batch.ids.length - added };
  }

  async search(
    queries: VectorRows,
    k: number,
    options: StoreSearchOptions = {},
  ): Promise<StoreHit[][]> {
    this.checkOpen('search');
    return this.searchNow(queries, k, options);
  }

  async count(filter?: VectorFilter): Promise<number> {
    this.checkOpen('count');
    const f = checkFilter(filter);
    if (!f) return this.size;
    let n = 0;
    for (let r = 0; r < this.size; r++) if (rowMatches(f, this.labels[r], this.metadata[r])) n++;
    return n;
  }

  async drop(): Promise<void> {
    this.dropIndex();
    this.data = new Float32Array(0);
    this.size = 0;
    this.ids.length = 0;
    this.rowOf.clear();
    this.labels.length = 0;
    this.metadata.length = 0;
    this.closed = true;
  }

  async close(): Promise<void> {
    this.dropIndex();
    this.closed = true;
  }

  private searchNow(queries: VectorRows, k: number, options: StoreSearchOptions): StoreHit[][] {
    const s = checkSearch(this.dims, this.metric, queries, k, options);
    if (k > this.size) {
      throw new UsageError(
        `k: ${k} is larger than ${this.location} (${this.size} items); ask for at most ${this.size}.`,
      );
    }
    if (s.queries.rows === 0) return [];
    if (s.metric !== this.metric && (this.unitRows || this.graphOnly)) {
      throw new UsageError(
        `metric: ${this.location} was indexed for ${this.metric} distance and keeps no vectors for ` +
          `${s.metric}; index the gallery for ${s.metric} instead.`,
      );
    }
    const accept = s.filter
      ? (row: number) => rowMatches(s.filter!, this.labels[row], this.metadata[row])
      : undefined;
    if (this.graphOnly) {
      if (s.exact) {
        throw new UsageError(
          `exact: ${this.location} is an HNSW index and keeps no vectors to scan; build an exact ` +
            'index (mmae index without --approximate) for exact search.',
        );
      }
      const graph = this.index as ApproximateIndex;
      if (s.efSearch !== undefined) graph.setEfSearch(s.efSearch);
      return graph
        .search(s.queries.data, k, accept)
        .map((hits) => hits.map((h) => this.hit(h.index, h)));
    }
    if (!accept && s.metric === this.metric) {
      return this.fullIndex()
        .search(s.queries.data, k)
        .map((hits) => hits.map((h) => this.hit(h.index, h)));
    }
    return this.scan(s.queries, k, s.metric, accept);
  }

  /** Exact top-k over the rows `accept` passes (all when undefined), by the plain-TS scan. */
  private scan(
    queries: Matrix,
    k: number,
    metric: Metric,
    accept: ((row: number) => boolean) | undefined,
  ): StoreHit[][] {
    const rows: number[] = [];
    for (let r = 0; r < this.size; r++) if (!accept || accept(r)) rows.push(r);
    if (rows.length === 0) return Array.from({ length: queries.rows }, () => []);
    const subset = new Float32Array(rows.length * this.dims);
    rows.forEach((r, i) =>
      subset.set(this.data.subarray(r * this.dims, (r + 1) * this.dims), i * this.dims),
    );
    const index = ExactIndex.build(subset, { metric, dims: this.dims, strategy: 'scan' });
    try {
      return index
        .search(queries.data, Math.min(k, rows.length))
        .map((hits) => hits.map((h) => this.hit(rows[h.index] as number, h)));
    } finally {
      index.dispose();
    }
  }

  private fullIndex(): ExactIndex {
    if (!this.index) {
      this.index = ExactIndex.build(this.data.subarray(0, this.size * this.dims), {
        metric: this.metric,
        dims: this.dims,
      });
    }
    return this.index as ExactIndex;
  }

  private hit(row: number, h: SearchHit): StoreHit {
    const label = this.labels[row];
    const id = this.ids[row] as string;
    return label === null || label === undefined
      ? { id, distance: h.distance }
      : { id, label, distance: h.distance };
  }

  private dropIndex(): void {
    if (this.index instanceof ExactIndex) this.index.dispose();
    this.index = undefined;
  }

  private ensureCapacity(rows: number): void {
    if (rows * this.dims <= this.data.length) return;
    const grown = new Float32Array(Math.max(rows, this.size * 2, 64) * this.dims);
    grown.set(this.data.subarray(0, this.size * this.dims));
    this.data = grown;
  }

  private checkOpen(method: string): void {
    if (this.closed) {
      throw new UsageError(`${method}: ${this.location} was closed or dropped; open it again.`);
    }
  }
}
