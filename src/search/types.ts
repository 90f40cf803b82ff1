/**
 * What both search indexes share: the metric, the items a gallery carries and the hit a search
 * returns. Distances are always "smaller is nearer" so that exact and approximate hits compare.
 */

/** 'cosine' ranks by angle (distance = 1 − cosine similarity); 'euclidean' by L2 distance. */
export type Metric = 'cosine' | 'euclidean';

export const METRICS: readonly Metric[] = ['cosine', 'euclidean'];

/** Per-row identity of a gallery: ids default to the row number, labels are optional. */
export interface GalleryItems {
  readonly ids?: readonly string[];
  readonly labels?: readonly number[];
}

/** One neighbour of one query. */
export interface SearchHit {
  /** Row of the gallery, 0-based. */
  readonly index: number;
  readonly id: string;
  readonly label?: number;
  /** 1 − cosine similarity, or the euclidean distance; smaller is nearer. */
  readonly distance: number;
}

/**
 * Row-major float32 vectors: a flat Float32Array with its column count, or an array of rows.
 * Tensors are accepted by the index builders too (see `toMatrix`).
 */
export type VectorRows = readonly (readonly number[])[] | Float32Array;

/** A validated row-major matrix. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly dims: number;
}
