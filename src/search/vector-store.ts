/**
 * The contract every vector store meets, in-process (an exact or HNSW index held in memory) or
 * out of process (PostgreSQL with pgvector): add rows in batches, search top-k with cosine or
 * euclidean distance and an optional filter, count, drop. Retrieval, the API and the HTTP service
 * speak to this interface only, so a gallery moves into a database without their knowing.
 *
 * A store holds one gallery: one run's codes of one modality of one split (the split is chosen by
 * which gallery is opened, e.g. one table per split). Rows carry an id, an optional integer label
 * and optional flat metadata; a filter selects rows by label and by metadata equality.
 *
 * Every input a caller hands over is checked here before any store sees it, so the in-process and
 * PostgreSQL stores refuse the same things with the same words.
 */
import type * as tf from '@tensorflow/tfjs';
import { LIMITS } from '../config/limits.js';
import { UsageError } from '../errors/errors.js';
import { toMatrix } from './matrix.js';
import { METRICS, type Matrix, type Metric, type VectorRows } from './types.js';

/** A metadata value: flat, so it maps onto a JSON object that SQL can compare with `@>`. */
export type MetadataValue = string | number | boolean;
export type RowMetadata = Readonly<Record<string, MetadataValue>>;

/** Rows `label` is one of (when given) and whose metadata holds every key-value pair given. */
export interface VectorFilter {
  readonly labels?: readonly number[];
  readonly metadata?: RowMetadata;
}

export interface StoreSearchOptions {
  /** Default: the store's own metric, the one its index (if any) is built for. */
  readonly metric?: Metric;
  readonly filter?: VectorFilter;
  /** HNSW candidate list size for this search; stores without a graph ignore it. */
  readonly efSearch?: number;
  /** Scan every row instead of the approximate index (exact top-k; slower on large galleries). */
  readonly exact?: boolean;
}

/** One neighbour of one query; distance is 1 − cosine similarity or L2, smaller is nearer. */
export interface StoreHit {
  readonly id: string;
  readonly label?: number;
  readonly distance: number;
}

export interface AddResult {
  /** Rows written by this batch. */
  readonly added: number;
  /** Rows whose id the store already held: left as they were (a resumed load repeats nothing). */
  readonly skipped: number;
}

export interface VectorStore {
  /** Says where the gallery lives, for messages: a directory, or a URL without credentials. */
  readonly location: string;
  readonly dims: number;
  /** The metric the store's index is built for, and the default of every search. */
  readonly metric: Metric;
  addBatch(
    ids: readonly string[],
    codes: VectorRows,
    labels?: readonly (number | null)[],
    metadata?: readonly (RowMetadata | null)[],
  ): Promise<AddResult>;
  /** Nearest first; fewer than k hits only when the filter matches fewer rows. */
  search(queries: VectorRows, k: number, options?: StoreSearchOptions): Promise<StoreHit[][]>;
  count(filter?: VectorFilter): Promise<number>;
  /** Removes the gallery itself (rows and index); the store cannot be used afterwards. */
  drop(): Promise<void>;
  /** Releases what the store holds (tensors, connections); the gallery stays. */
  close(): Promise<void>;
}

// ── Bounds ──────────────────────────────────────────────────────────────────────────────────
// Each bound keeps one request's cost predictable whatever a caller sends: the HTTP service will
// pass these straight from the network.

/** The CLI's own bound on --k (a sample count); an in-process gallery bounds k by its size too. */
export const MAX_K = LIMITS.samples;
/** Queries per search call. */
export const MAX_QUERIES = 10_000;
/** Rows per addBatch: one INSERT statement's parameters stay well under PostgreSQL's limits. */
export const MAX_BATCH_ROWS = 50_000;
/** An id is a sample id (a file name, a row key). */
export const MAX_ID_LENGTH = 1024;
export const MAX_METADATA_KEYS = 32;
export const MAX_METADATA_KEY_LENGTH = 64;
export const MAX_METADATA_STRING_LENGTH = 1024;
/** Labels a filter may list. */
export const MAX_FILTER_LABELS = 1024;
/** pgvector's hnsw.ef_search accepts 1 to 1000. */
export const MAX_EF_SEARCH = 1000;

/** Rows of a batch, checked: one id, label and metadata per code row. */
export interface CheckedBatch {
  readonly ids: readonly string[];
  readonly codes: Matrix;
  readonly labels: readonly (number | null)[];
  readonly metadata: readonly (RowMetadata | null)[];
}

export function checkBatch(
  dims: number,
  ids: readonly string[],
  codes: VectorRows,
  labels?: readonly (number | null)[],
  metadata?: readonly (RowMetadata | null)[],
): CheckedBatch {
  if (!Array.isArray(ids)) throw new UsageError('addBatch(ids): ids must be an array of strings.');
  if (ids.length > MAX_BATCH_ROWS) {
    throw new UsageError(
      `addBatch: ${ids.length} rows in one batch; send at most ${MAX_BATCH_ROWS} per call.`,
    );
  }
  const m = toMatrix('addBatch(codes)', codes, dims);
  if (m.rows !== ids.length) {
    throw new UsageError(
      `addBatch: ${ids.length} ids for ${m.rows} code rows; give one id per row.`,
    );
  }
  const seen = new Set<string>();
  ids.forEach((id, i) => {
    if (
      typeof id !== 'string' ||
      id.length === 0 ||
      id.length > MAX_ID_LENGTH ||
      id.includes('\0')
    ) {
      throw new UsageError(
        `addBatch(ids): id ${i} must be a non-empty string of at most ${MAX_ID_LENGTH} characters ` +
          'without NUL.',
      );
    }
    if (seen.has(id))
      throw new UsageError(`addBatch(ids): id "${id.slice(0, 80)}" appears twice in one batch.`);
    seen.add(id);
  });
  const rowLabels = labels ?? ids.map(() => null);
  if (rowLabels.length !== ids.length) {
    throw new UsageError(
      `addBatch: ${rowLabels.length} labels for ${ids.length} rows; give one per row.`,
    );
  }
  rowLabels.forEach((l, i) => {
    if (l !== null && !isInt32(l)) {
      throw new UsageError(
        `addBatch(labels): label ${i} is ${String(l)}; labels are 32-bit integers or null.`,
      );
    }
  });
  const rowMeta = metadata ?? ids.map(() => null);
  if (rowMeta.length !== ids.length) {
    throw new UsageError(
      `addBatch: ${rowMeta.length} metadata entries for ${ids.length} rows; give one per row.`,
    );
  }
  rowMeta.forEach((md, i) => {
    if (md !== null) checkMetadata(md, `addBatch(metadata)[${i}]`);
  });
  return { ids, codes: m, labels: rowLabels, metadata: rowMeta };
}

export function checkMetadata(md: unknown, what: string): RowMetadata {
  if (typeof md !== 'object' || md === null || Array.isArray(md)) {
    throw new UsageError(
      `${what}: metadata must be an object of string keys to strings, numbers or booleans.`,
    );
  }
  const entries = Object.entries(md);
  if (entries.length > MAX_METADATA_KEYS) {
    throw new UsageError(`${what}: ${entries.length} metadata keys; at most ${MAX_METADATA_KEYS}.`);
  }
  for (const [key, value] of entries) {
    if (key.length === 0 || key.length > MAX_METADATA_KEY_LENGTH || key.includes('\0')) {
      throw new UsageError(
        `${what}: metadata key "${key.slice(0, 80)}" must be 1 to ${MAX_METADATA_KEY_LENGTH} characters.`,
      );
    }
    const ok =
      typeof value === 'boolean' ||
      (typeof value === 'number' && Number.isFinite(value)) ||
      (typeof value === 'string' &&
        value.length <= MAX_METADATA_STRING_LENGTH &&
        !value.includes('\0'));
    if (!ok) {
      throw new UsageError(
        `${what}: metadata "${key}" must be a finite number, a boolean or a string of at most ` +
          `${MAX_METADATA_STRING_LENGTH} characters without NUL.`,
      );
    }
  }
  return md as RowMetadata;
}

export function checkFilter(filter: unknown): VectorFilter | undefined {
  if (filter === undefined) return undefined;
  if (typeof filter !== 'object' || filter === null) {
    throw new UsageError('filter: must be an object { labels?: number[], metadata?: {…} }.');
  }
  const f = filter as { labels?: unknown; metadata?: unknown };
  const unknownKeys = Object.keys(f).filter((k) => k !== 'labels' && k !== 'metadata');
  if (unknownKeys.length > 0) {
    throw new UsageError(
      `filter: unknown field ${unknownKeys.map((k) => `"${k}"`).join(', ')}; use labels and metadata.`,
    );
  }
  if (f.labels !== undefined) {
    if (!Array.isArray(f.labels) || f.labels.length === 0 || f.labels.length > MAX_FILTER_LABELS) {
      throw new UsageError(`filter.labels: give 1 to ${MAX_FILTER_LABELS} integer labels.`);
    }
    f.labels.forEach((l: unknown, i) => {
      if (!isInt32(l))
        throw new UsageError(`filter.labels[${i}]: ${String(l)} is not a 32-bit integer.`);
    });
  }
  if (f.metadata !== undefined) checkMetadata(f.metadata, 'filter.metadata');
  return f as VectorFilter;
}

export interface CheckedSearch {
  readonly queries: Matrix;
  readonly metric: Metric;
  readonly filter?: VectorFilter;
  readonly efSearch?: number;
  readonly exact: boolean;
}

export function checkSearch(
  dims: number,
  storeMetric: Metric,
  queries: VectorRows | tf.Tensor,
  k: number,
  options: StoreSearchOptions = {},
): CheckedSearch {
  if (!Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new UsageError(`k: ${String(k)} is not a whole number from 1 to ${MAX_K}.`);
  }
  const metric = options.metric ?? storeMetric;
  if (!METRICS.includes(metric)) {
    throw new UsageError(`metric: '${String(metric)}' is not one of ${METRICS.join(', ')}.`);
  }
  const q = toMatrix('queries', queries, dims);
  if (q.rows > MAX_QUERIES) {
    throw new UsageError(`queries: ${q.rows} in one call; search at most ${MAX_QUERIES} at once.`);
  }
  const ef = options.efSearch;
  if (ef !== undefined && (!Number.isInteger(ef) || ef < 1 || ef > MAX_EF_SEARCH)) {
    throw new UsageError(
      `efSearch: ${String(ef)} is not a whole number from 1 to ${MAX_EF_SEARCH}.`,
    );
  }
  const filter = checkFilter(options.filter);
  return {
    queries: q,
    metric,
    exact: options.exact === true,
    ...(filter ? { filter } : {}),
    ...(ef !== undefined ? { efSearch: ef } : {}),
  };
}

/** Whether a row's label and metadata pass `filter`; the in-process stores' filter. */
export function rowMatches(
  filter: VectorFilter,
  label: number | null | undefined,
  metadata: RowMetadata | null | undefined,
): boolean {
  if (filter.labels && (label === null || label === undefined || !filter.labels.includes(label))) {
    return false;
  }
  if (filter.metadata) {
    for (const [key, value] of Object.entries(filter.metadata)) {
      if (metadata?.[key] !== value) return false;
    }
  }
  return true;
}

function isInt32(v: unknown): v is number {
  return typeof v === 'number' && Number.isInteger(v) && v >= -(2 ** 31) && v < 2 ** 31;
}
