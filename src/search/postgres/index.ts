/** The PostgreSQL + pgvector vector store: URL handling, connections, gallery tables. */
export {
  parseDatabaseUrl,
  DATABASE_URL_VARIABLE,
  MAX_URL_LENGTH,
  type DatabaseUrl,
} from './database-url.js';
export { DEFAULT_RETRY, MIN_PGVECTOR, type PoolOptions, type RetryPolicy } from './connect.js';
export {
  galleryTableName,
  hnswIndexName,
  REGISTRY_TABLE,
  MAX_IDENTIFIER_BYTES,
  type GalleryKey,
} from './gallery-names.js';
export { PostgresVectorStore, type PostgresStoreOptions } from './postgres-store.js';
export {
  DEFAULT_PG_HNSW,
  DEFAULT_EF_SEARCH,
  MAX_HNSW_DIMS,
  MAX_MAINTENANCE_WORK_MEM_MB,
  checkHnsw,
  type HnswBuildOptions,
} from './hnsw-options.js';
export type { GalleryBuild, GalleryExpectation, GalleryRecord } from './gallery-registry.js';
