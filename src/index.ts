/**
 * The public API of mmae. Everything exported here is promised; nothing else is.
 *
 * It is the portable API (portable.ts, `mmae/portable`: a run opened from bytes, the contracts,
 * the plugin kit) and the Node edge besides: runs on disk, training and evaluation, the plugin
 * registry that loads modules by path, backend selection, and reading input files.
 */
export * from './portable.js';

export { loadRun } from './api/load-run.js';
// The entry points check their arguments at run time (a UsageError, not a TypeError).
export {
  trainJob,
  evalJob,
  createRegistry,
  selectBackend,
  doctorReport,
} from './api/checked-entry-points.js';
export type { TrainJobOptions, TrainJobResult } from './experiment/train-job.js';
export type { EvalJobOptions } from './experiment/eval-job.js';
export type { EvalReport } from './evaluation/report/eval-report.js';
export { loadConfigFile } from './config/load-config.js';
// A config's dataset opened as `mmae train` opens it (the training page's build ships its samples).
export { openConfigDataset } from './api/open-config-dataset.js';
export type { RegistryOptions } from './container/create-registry.js';

// The plugin kit's Node half: reading input files with the size limits and regular-file checks
// every file from outside gets.
export {
  readInputFile,
  openInputFile,
  readInputRange,
  inputLimit,
  tooLarge,
  formatBytes,
  type InputFile,
  type InputFileRequest,
  type InputLimit,
} from './data/input-file.js';

// Galleries as vector stores (docs/retrieval.md): the in-process store and PostgreSQL + pgvector.
export { openPostgresGallery, type PostgresGalleryOptions } from './api/gallery-stores.js';
export { InProcessVectorStore, type InProcessStoreOptions } from './search/in-process-store.js';
export { PostgresVectorStore, type HnswBuildOptions } from './search/postgres/index.js';
export type {
  VectorStore,
  VectorFilter,
  StoreHit,
  StoreSearchOptions,
  RowMetadata,
  AddResult,
} from './search/vector-store.js';
export type { RetrieveOptions, RetrievedItem } from './api/loaded-model.js';

// The HTTP service (docs/serving.md): `mmae serve` is buildServer behind flags.
export {
  buildServer,
  type BuildServerOptions,
  DEFAULT_SERVE_LIMITS,
  type ServeLimits,
  ServeError,
  type ServeErrorCode,
} from './serve/index.js';
