/**
 * The registry of galleries, `mmae_galleries`: one row per run, modality and split (or manifest
 * gallery) naming its table, the checkpoint it was built from, its latent size and metric, its
 * row count, whether it is complete, and its HNSW settings. Read here into a GalleryRecord; the
 * store then checks it against what the caller expects (postgres-store.ts, checkExpectation).
 */
import type pg from 'pg';
import { StoreError, UsageError } from '../../errors/errors.js';
import type { IndexCheckpoint } from '../index-file.js';
import { METRICS, type Metric } from '../types.js';
import { checkout, codeOf, queryError, type StorePool } from './connect.js';
import { quoted, REGISTRY_TABLE, type GalleryKey } from './gallery-names.js';
import { MAX_HNSW_DIMS, type HnswBuildOptions } from './hnsw-options.js';

export interface GalleryBuild {
  readonly dims: number;
  readonly metric: Metric;
  readonly checkpoint: IndexCheckpoint;
}

export interface GalleryExpectation {
  readonly dims?: number;
  readonly metric?: Metric;
  /** The run's checkpoint now; a gallery built from another one is refused as stale. */
  readonly checkpoint?: IndexCheckpoint;
}

/** One row of mmae_galleries, as this module reads it. */
export interface GalleryRecord {
  readonly table: string;
  readonly metric: Metric;
  readonly dims: number;
  readonly checkpoint: IndexCheckpoint;
  readonly rows: number;
  readonly complete: boolean;
  readonly hnsw?: HnswBuildOptions;
}

export const REGISTRY_DDL = `CREATE TABLE IF NOT EXISTS ${REGISTRY_TABLE} (
  run_id text NOT NULL,
  modality text NOT NULL,
  split text NOT NULL,
  table_name text NOT NULL UNIQUE,
  metric text NOT NULL CHECK (metric IN ('cosine', 'euclidean')),
  latent_size integer NOT NULL CHECK (latent_size > 0),
  checkpoint_generation integer NOT NULL,
  weights_sha256 text NOT NULL,
  row_count bigint NOT NULL DEFAULT 0,
  complete boolean NOT NULL DEFAULT false,
  hnsw_m integer,
  hnsw_ef_construction integer,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (run_id, modality, split)
)`;

/**
 * The command that builds the gallery of `key` again: a split's, or a manifest gallery's (named
 * in place of the split).
 */
export function rebuildCommand(key: GalleryKey): string {
  const splits = ['train', 'validation', 'test'];
  return splits.includes(key.split)
    ? `mmae index RUN --modality ${key.modality} --split ${key.split} --store URL`
    : `mmae index RUN --modality ${key.modality} --manifest FILE --gallery ${key.split} --store URL`;
}

export async function tableExists(client: pg.PoolClient, table: string): Promise<boolean> {
  const result = await client.query<{ oid: string | null }>('SELECT to_regclass($1)::oid AS oid', [
    quoted(table),
  ]);
  return result.rows[0]?.oid !== null && result.rows[0]?.oid !== undefined;
}

export async function readRecord(db: StorePool, key: GalleryKey): Promise<GalleryRecord> {
  const client = await checkout(db.pool, db.url);
  const where = `run "${key.runId}", modality ${key.modality}, split ${key.split}`;
  const missing = () =>
    new StoreError(
      `${db.url.redacted} holds no gallery for ${where}; build it with: ${rebuildCommand(key)}.`,
      'missing',
    );
  try {
    const result = await client.query<{
      table_name: string;
      metric: string;
      latent_size: number;
      checkpoint_generation: number;
      weights_sha256: string;
      row_count: string;
      complete: boolean;
      hnsw_m: number | null;
      hnsw_ef_construction: number | null;
    }>(
      `SELECT table_name, metric, latent_size, checkpoint_generation, weights_sha256, row_count,
         complete, hnsw_m, hnsw_ef_construction
       FROM ${REGISTRY_TABLE} WHERE run_id = $1 AND modality = $2 AND split = $3`,
      [key.runId, key.modality, key.split],
    );
    const row = result.rows[0];
    if (!row) throw missing();
    if (!(METRICS as readonly string[]).includes(row.metric)) {
      throw new StoreError(
        `${db.url.redacted}: ${REGISTRY_TABLE} records metric "${row.metric}" for ${where}; build the gallery again.`,
        'schema',
      );
    }
    return {
      table: row.table_name,
      metric: row.metric as Metric,
      dims: row.latent_size,
      checkpoint: { generation: row.checkpoint_generation, weightsSha256: row.weights_sha256 },
      rows: Number(row.row_count),
      complete: row.complete,
      ...(row.hnsw_m !== null && row.hnsw_ef_construction !== null
        ? { hnsw: { m: row.hnsw_m, efConstruction: row.hnsw_ef_construction } }
        : {}),
    };
  } catch (error) {
    // 42P01: undefined_table, the registry itself was never created.
    if (codeOf(error) === '42P01') throw missing();
    throw queryError(db.url, error, `reading ${REGISTRY_TABLE}`);
  } finally {
    client.release();
  }
}

export function checkBuild(build: GalleryBuild): void {
  if (!Number.isInteger(build.dims) || build.dims < 1 || build.dims > MAX_HNSW_DIMS) {
    throw new UsageError(
      `latent size ${String(build.dims)}: pgvector's HNSW indexes 1 to ${MAX_HNSW_DIMS} dims.`,
    );
  }
  if (!METRICS.includes(build.metric)) {
    throw new UsageError(`metric: '${String(build.metric)}' is not one of ${METRICS.join(', ')}.`);
  }
  const c = build.checkpoint;
  if (
    !Number.isInteger(c.generation) ||
    c.generation < 0 ||
    !/^[0-9a-f]{0,128}$/.test(c.weightsSha256)
  ) {
    throw new UsageError("checkpoint: give the run checkpoint's generation and weights SHA-256.");
  }
}
