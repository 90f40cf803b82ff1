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
export {
  PostgresVectorStore,
  DEFAULT_PG_HNSW,
  DEFAULT_EF_SEARCH,
  checkHnsw,
  type GalleryBuild,
  type GalleryExpectation,
  type GalleryRecord,
  type HnswBuildOptions,
  type PostgresStoreOptions,
} from './postgres-store.js';
