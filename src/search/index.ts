/** Embedding search: exact (tensor or plain-TS scan) and approximate (HNSW) top-k indexes. */
export type { Metric, GalleryItems, SearchHit, VectorRows, Matrix } from './types.js';
export {
  ExactIndex,
  SCAN_MAX_WORK,
  type ExactIndexOptions,
  type ExactStrategy,
} from './exact-index.js';
export {
  saveExactIndex,
  loadExactIndex,
  type IndexExpectation,
  type SaveIndexOptions,
} from './exact-index-file.js';
export { StaleIndexError, type IndexCheckpoint } from './index-file.js';
export {
  ApproximateIndex,
  DEFAULT_HNSW_OPTIONS,
  type ApproximateIndexOptions,
  type HnswOptions,
} from './approximate-index.js';
export { saveApproximateIndex, loadApproximateIndex } from './approximate-index-file.js';
export { loadSavedIndex } from './load-saved-index.js';
export { recallAgainstExact } from './recall.js';
