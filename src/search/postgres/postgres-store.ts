/**
 * The PostgreSQL VectorStore: one gallery (a run's codes of one modality and split) in a table of
 * its own with pgvector's `vector(latentSize)` column, listed in the registry table
 * `mmae_galleries` with the checkpoint it was built from, its row count and whether it is
 * complete.
 *
 * A gallery is written in three steps, so no reader ever takes a half-written one for whole:
 * `create` (registry row marked incomplete, empty table), `addBatch` (unnest arrays, ON CONFLICT
 * DO NOTHING, so running a load again repeats no row), `finish` (the HNSW index, the row count,
 * complete = true, in one transaction). `open` refuses an incomplete gallery, one built from
 * another checkpoint (stale) and one of another latent size.
 *
 * Names from user input are quoted by gallery-names.ts; every value is a bind parameter; the few
 * numbers SQL needs inline (m, ef_construction, ef_search) are validated integers.
 */
import type pg from 'pg';
import pgvector from 'pgvector/pg';
import { StoreError, UsageError } from '../../errors/errors.js';
import { StaleIndexError } from '../index-file.js';
import type { Metric, VectorRows } from '../types.js';
import {
  checkBatch,
  checkFilter,
  checkSearch,
  MAX_EF_SEARCH,
  type AddResult,
  type RowMetadata,
  type StoreHit,
  type StoreSearchOptions,
  type VectorFilter,
  type VectorStore,
} from '../vector-store.js';
import {
  checkout,
  openStorePool,
  queryError,
  type PoolOptions,
  type StorePool,
} from './connect.js';
import type { DatabaseUrl } from './database-url.js';
import { filterSql } from './filter-sql.js';
import {
  checkBuild,
  readRecord,
  rebuildCommand,
  REGISTRY_DDL,
  tableExists,
  type GalleryBuild,
  type GalleryExpectation,
  type GalleryRecord,
} from './gallery-registry.js';
import {
  atLeast,
  checkHnsw,
  DEFAULT_EF_SEARCH,
  DEFAULT_PG_HNSW,
  type HnswBuildOptions,
} from './hnsw-options.js';
import {
  checkGalleryKey,
  galleryTableName,
  hnswIndexName,
  quoted,
  REGISTRY_TABLE,
  type GalleryKey,
} from './gallery-names.js';

/** Rows per INSERT statement: about 1 MB of text for 32-d codes. */
const INSERT_CHUNK = 2000;

const OPCLASS: Record<Metric, string> = { cosine: 'vector_cosine_ops', euclidean: 'vector_l2_ops' };
const OPERATOR: Record<Metric, string> = { cosine: '<=>', euclidean: '<->' };

export interface PostgresStoreOptions extends PoolOptions {
  readonly url: DatabaseUrl;
}

export class PostgresVectorStore implements VectorStore {
  readonly location: string;
  /**
   * pgvector ≥ 0.8's hnsw.iterative_scan for filtered searches: 'strict_order' (default) keeps
   * walking the graph, in distance order, until k rows pass the filter; 'relaxed_order' is
   * faster and may return them slightly out of order; 'off' takes the graph's first ef_search
   * candidates only. Whatever it finds, a filtered search that comes back short of k is answered
   * again by an exact scan, so k rows return whenever k match. Older pgvector has no such
   * setting; mmae then relies on the exact scan alone.
   */
  iterativeScan: 'strict_order' | 'relaxed_order' | 'off' = 'strict_order';
  private closed = false;

  private constructor(
    private readonly db: StorePool,
    readonly key: GalleryKey,
    private record: GalleryRecord,
  ) {
    this.location = `${db.url.redacted} table ${quoted(record.table)}`;
  }

  get dims(): number {
    return this.record.dims;
  }

  get metric(): Metric {
    return this.record.metric;
  }

  get table(): string {
    return this.record.table;
  }

  /** The registry's record of this gallery as last read or written. */
  get gallery(): GalleryRecord {
    return this.record;
  }

  /**
   * Starts the gallery afresh: a gallery already registered under this key is dropped, and an
   * incomplete registry row and an empty table take its place. Fill it with addBatch, then finish.
   */
  static async create(
    options: PostgresStoreOptions,
    key: GalleryKey,
    build: GalleryBuild,
  ): Promise<PostgresVectorStore> {
    checkGalleryKey(key);
    checkBuild(build);
    const db = await openStorePool(options.url, { ...options, createExtension: true });
    const table = galleryTableName(key);
    const record: GalleryRecord = {
      table,
      metric: build.metric,
      dims: build.dims,
      checkpoint: {
        generation: build.checkpoint.generation,
        weightsSha256: build.checkpoint.weightsSha256,
      },
      rows: 0,
      complete: false,
    };
    const store = new PostgresVectorStore(db, key, record);
    try {
      await store.transaction('creating the gallery', async (client) => {
        await client.query(REGISTRY_DDL);
        const previous = await client.query<{ table_name: string }>(
          `SELECT table_name FROM ${REGISTRY_TABLE} WHERE run_id = $1 AND modality = $2 AND split = $3 FOR UPDATE`,
          [key.runId, key.modality, key.split],
        );
        const owned = previous.rows[0]?.table_name;
        if (owned !== undefined) await client.query(`DROP TABLE IF EXISTS ${quoted(owned)}`);
        if (owned !== table && (await tableExists(client, table))) {
          throw new StoreError(
            `${db.url.redacted}: a table named ${quoted(table)} exists that ${REGISTRY_TABLE} does ` +
              "not list, so it is not mmae's to replace; drop or rename it, or index under another run name.",
            'schema',
          );
        }
        await client.query(
          `INSERT INTO ${REGISTRY_TABLE} (run_id, modality, split, table_name, metric, latent_size,
             checkpoint_generation, weights_sha256, row_count, complete)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 0, false)
           ON CONFLICT (run_id, modality, split) DO UPDATE SET table_name = EXCLUDED.table_name,
             metric = EXCLUDED.metric, latent_size = EXCLUDED.latent_size,
             checkpoint_generation = EXCLUDED.checkpoint_generation,
             weights_sha256 = EXCLUDED.weights_sha256, row_count = 0, complete = false,
             hnsw_m = NULL, hnsw_ef_construction = NULL, updated_at = now()`,
          [
            key.runId,
            key.modality,
            key.split,
            table,
            build.metric,
            build.dims,
            build.checkpoint.generation,
            build.checkpoint.weightsSha256,
          ],
        );
        await client.query(
          `CREATE TABLE ${quoted(table)} (
             id text PRIMARY KEY,
             label integer,
             metadata jsonb NOT NULL DEFAULT '{}'::jsonb,
             embedding vector(${build.dims}) NOT NULL
           )`,
        );
      });
    } catch (error) {
      await db.pool.end().catch(() => undefined);
      throw error;
    }
    return store;
  }

  /**
   * The registered gallery of `key`, checked against what the caller expects: complete, built
   * from the expected checkpoint (else a StaleIndexError, as for a saved index), of the expected
   * latent size and metric, and its table's column of that size.
   */
  static async open(
    options: PostgresStoreOptions,
    key: GalleryKey,
    expect: GalleryExpectation = {},
  ): Promise<PostgresVectorStore> {
    checkGalleryKey(key);
    const db = await openStorePool(options.url, options);
    try {
      const record = await readRecord(db, key);
      const store = new PostgresVectorStore(db, key, record);
      await store.checkExpectation(expect);
      return store;
    } catch (error) {
      await db.pool.end().catch(() => undefined);
      throw error;
    }
  }

  /**
   * Continues an incomplete gallery of the same checkpoint, latent size and metric where an
   * earlier load stopped (a crash, Ctrl-C), returning the ids it already holds so the caller
   * encodes only the rest; anything else starts afresh as `create` does. Rows are committed a
   * statement at a time, so the ids found are exactly the rows written: no gap, and ON CONFLICT
   * keeps a repeated row out.
   */
  static async resume(
    options: PostgresStoreOptions,
    key: GalleryKey,
    build: GalleryBuild,
  ): Promise<{ store: PostgresVectorStore; done: Set<string> }> {
    checkGalleryKey(key);
    checkBuild(build);
    const db = await openStorePool(options.url, { ...options, createExtension: true });
    let record: GalleryRecord | undefined;
    try {
      record = await readRecord(db, key);
    } catch (error) {
      if (!(error instanceof StoreError && error.reason === 'missing')) {
        await db.pool.end().catch(() => undefined);
        throw error;
      }
    }
    const c = build.checkpoint;
    const same =
      record !== undefined &&
      !record.complete &&
      record.dims === build.dims &&
      record.metric === build.metric &&
      record.checkpoint.generation === c.generation &&
      record.checkpoint.weightsSha256 === c.weightsSha256;
    if (!same) {
      await db.pool.end();
      return { store: await PostgresVectorStore.create(options, key, build), done: new Set() };
    }
    const store = new PostgresVectorStore(db, key, record as GalleryRecord);
    try {
      const client = await checkout(db.pool, db.url);
      try {
        const ids = await client.query<{ id: string }>(`SELECT id FROM ${quoted(store.table)}`);
        return { store, done: new Set(ids.rows.map((r) => r.id)) };
      } finally {
        client.release();
      }
    } catch (error) {
      await store.close();
      throw queryError(db.url, error, `reading the ids of ${quoted(store.table)}`);
    }
  }

  /**
   * Connects and checks pgvector, then lets go: a command calls it before minutes of encoding so
   * an unreachable database or a missing extension fails at once.
   */
  static async probe(options: PostgresStoreOptions): Promise<void> {
    const db = await openStorePool(options.url, { ...options, createExtension: true });
    await db.pool.end();
  }

  async addBatch(
    ids: readonly string[],
    codes: VectorRows,
    labels?: readonly (number | null)[],
    metadata?: readonly (RowMetadata | null)[],
  ): Promise<AddResult> {
    this.checkOpen('addBatch');
    const batch = checkBatch(this.dims, ids, codes, labels, metadata);
    const { dims } = this;
    let added = 0;
    const client = await checkout(this.db.pool, this.db.url);
    try {
      for (let start = 0; start < batch.ids.length; start += INSERT_CHUNK) {
        const end = Math.min(batch.ids.length, start + INSERT_CHUNK);
        const vectors: string[] = [];
        for (let r = start; r < end; r++) {
          // Through a plain array: pg would send a Float32Array as bytea. Float32 values print as
          // the shortest decimal that reads back to the same float32, so nothing is rounded.
          vectors.push(
            pgvector.toSql(
              Array.from(batch.codes.data.subarray(r * dims, (r + 1) * dims)),
            ) as string,
          );
        }
        const result = await client.query(
          `INSERT INTO ${quoted(this.table)} (id, label, metadata, embedding)
           SELECT * FROM unnest($1::text[], $2::integer[], $3::jsonb[], $4::vector[])
           ON CONFLICT (id) DO NOTHING`,
          [
            batch.ids.slice(start, end),
            batch.labels.slice(start, end),
            batch.metadata.slice(start, end).map((m) => JSON.stringify(m ?? {})),
            vectors,
          ],
        );
        added += result.rowCount ?? 0;
      }
    } catch (error) {
      throw queryError(this.db.url, error, `adding rows to ${quoted(this.table)}`);
    } finally {
      client.release();
    }
    return { added, skipped: batch.ids.length - added };
  }

  /** Builds the HNSW index, counts the rows and marks the gallery complete, in one transaction. */
  async finish(hnsw: HnswBuildOptions = DEFAULT_PG_HNSW): Promise<GalleryRecord> {
    this.checkOpen('finish');
    checkHnsw(hnsw, this.dims);
    const { key } = this;
    await this.transaction(`indexing ${quoted(this.table)}`, async (client) => {
      // A validated whole number (checkHnsw), the only way a size reaches this statement.
      const mb = hnsw.maintenanceWorkMemMb;
      if (mb !== undefined) await client.query(`SET LOCAL maintenance_work_mem = '${mb}MB'`);
      await client.query(
        `CREATE INDEX IF NOT EXISTS ${quoted(hnswIndexName(this.table))} ON ${quoted(this.table)}
         USING hnsw (embedding ${OPCLASS[this.metric]}) WITH (m = ${hnsw.m}, ef_construction = ${hnsw.efConstruction})`,
      );
      // Fresh statistics, so the planner weighs a filter against the HNSW index from the first
      // search on rather than after autovacuum gets to the new table.
      await client.query(`ANALYZE ${quoted(this.table)}`);
      const updated = await client.query<{ row_count: string }>(
        `UPDATE ${REGISTRY_TABLE} SET row_count = (SELECT count(*) FROM ${quoted(this.table)}),
           complete = true, hnsw_m = $4, hnsw_ef_construction = $5, updated_at = now()
         WHERE run_id = $1 AND modality = $2 AND split = $3 AND table_name = $6
         RETURNING row_count`,
        [key.runId, key.modality, key.split, hnsw.m, hnsw.efConstruction, this.table],
      );
      const rows = updated.rows[0]?.row_count;
      if (rows === undefined) {
        throw new StoreError(
          `${this.location}: the gallery's registry row vanished while it was being built; another ` +
            'mmae index of the same run, modality and split replaced it. Run one at a time.',
          'schema',
        );
      }
      this.record = { ...this.record, rows: Number(rows), complete: true, hnsw: { ...hnsw } };
    });
    return this.record;
  }

  async search(
    queries: VectorRows,
    k: number,
    options: StoreSearchOptions = {},
  ): Promise<StoreHit[][]> {
    this.checkOpen('search');
    const s = checkSearch(this.dims, this.metric, queries, k, options);
    if (!s.filter && k > this.record.rows) {
      throw new UsageError(
        `k: ${k} is larger than ${this.location} (${this.record.rows} items); ask for at most ${this.record.rows}.`,
      );
    }
    const operator = OPERATOR[s.metric];
    const { where, params } = filterSql(s.filter, 3);
    const sql =
      `SELECT id, label, embedding ${operator} $1::vector AS distance FROM ${quoted(this.table)}` +
      `${where} ORDER BY embedding ${operator} $1::vector LIMIT $2`;
    // HNSW returns at most ef_search rows, so it is never below k (as for the in-process graph).
    const ef = Math.min(MAX_EF_SEARCH, Math.max(s.efSearch ?? DEFAULT_EF_SEARCH, k));
    if (!['strict_order', 'relaxed_order', 'off'].includes(this.iterativeScan)) {
      throw new UsageError(
        `iterativeScan: '${String(this.iterativeScan)}' is not strict_order, relaxed_order or off.`,
      );
    }
    const iterative = s.filter !== undefined && atLeast(this.db.vectorVersion, 0, 8);
    const out: StoreHit[][] = [];
    await this.transaction('a search', async (client) => {
      await client.query(`SET LOCAL hnsw.ef_search = ${ef}`);
      // pgvector ≥ 0.8 keeps walking the graph until a filter has passed k rows.
      if (iterative) await client.query(`SET LOCAL hnsw.iterative_scan = ${this.iterativeScan}`);
      // HNSW returns at most ef_search (≤ 1000) rows: a larger k is answered by the exact scan.
      let scanning = s.exact || k > MAX_EF_SEARCH;
      if (scanning) await client.query('SET LOCAL enable_indexscan = off');
      for (let q = 0; q < s.queries.rows; q++) {
        const vector = pgvector.toSql(
          Array.from(s.queries.data.subarray(q * this.dims, (q + 1) * this.dims)),
        );
        let result = await client.query<{ id: string; label: number | null; distance: number }>(
          sql,
          [vector, k, ...params],
        );
        if (s.filter && !scanning && result.rows.length < k) {
          // The graph ran out before the filter passed k rows: the exact scan is the answer.
          await client.query('SET LOCAL enable_indexscan = off');
          scanning = true;
          result = await client.query(sql, [vector, k, ...params]);
        }
        out.push(
          result.rows.map((r) =>
            r.label === null
              ? { id: r.id, distance: r.distance }
              : { id: r.id, label: r.label, distance: r.distance },
          ),
        );
      }
    });
    return out;
  }

  async count(filter?: VectorFilter): Promise<number> {
    this.checkOpen('count');
    const { where, params } = filterSql(checkFilter(filter), 1);
    const client = await checkout(this.db.pool, this.db.url);
    try {
      const result = await client.query<{ n: string }>(
        `SELECT count(*) AS n FROM ${quoted(this.table)}${where}`,
        params,
      );
      return Number(result.rows[0]?.n ?? 0);
    } catch (error) {
      throw queryError(this.db.url, error, `counting ${quoted(this.table)}`);
    } finally {
      client.release();
    }
  }

  async drop(): Promise<void> {
    this.checkOpen('drop');
    const { key } = this;
    await this.transaction(`dropping ${quoted(this.table)}`, async (client) => {
      await client.query(`DROP TABLE IF EXISTS ${quoted(this.table)}`);
      await client.query(
        `DELETE FROM ${REGISTRY_TABLE} WHERE run_id = $1 AND modality = $2 AND split = $3 AND table_name = $4`,
        [key.runId, key.modality, key.split, this.table],
      );
    });
    await this.close();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.db.pool.end();
  }

  private async checkExpectation(expect: GalleryExpectation): Promise<void> {
    const r = this.record;
    const rebuild = rebuildCommand(this.key);
    if (!r.complete) {
      throw new StaleIndexError(
        `${this.location}: the gallery is incomplete (${r.rows} rows counted; its indexing never ` +
          `finished), so it is not searched. Build it again: ${rebuild}.`,
        this.location,
      );
    }
    const want = expect.checkpoint;
    if (
      want &&
      (want.generation !== r.checkpoint.generation ||
        want.weightsSha256 !== r.checkpoint.weightsSha256)
    ) {
      throw new StaleIndexError(
        `${this.location}: the gallery is stale: built from checkpoint generation ` +
          `${r.checkpoint.generation} (weights ${r.checkpoint.weightsSha256.slice(0, 12)}…), the run is now at ` +
          `generation ${want.generation} (weights ${want.weightsSha256.slice(0, 12)}…). Build it again: ${rebuild}.`,
        this.location,
      );
    }
    if (expect.metric !== undefined && expect.metric !== r.metric) {
      throw new StoreError(
        `${this.location}: the gallery is indexed for ${r.metric} distance, not ${expect.metric}; build it again for ${expect.metric}.`,
        'schema',
      );
    }
    const columnDims = await this.columnDims();
    if (columnDims !== r.dims) {
      throw new StoreError(
        `${this.location}: the table's embedding column holds ${columnDims ?? 'no'} dims but ` +
          `${REGISTRY_TABLE} records ${r.dims}; the table was altered. Build the gallery again: ${rebuild}.`,
        'latent-size',
      );
    }
    if (expect.dims !== undefined && expect.dims !== r.dims) {
      throw new StoreError(
        `${this.location}: the gallery holds codes of ${r.dims} dims but the model's latent has ` +
          `${expect.dims}; it was built from another model. Build it again: ${rebuild}.`,
        'latent-size',
      );
    }
  }

  /** The n of the table's `vector(n)` column, or undefined when it has none. */
  private async columnDims(): Promise<number | undefined> {
    const client = await checkout(this.db.pool, this.db.url);
    try {
      const result = await client.query<{ type: string }>(
        `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute
         WHERE attrelid = to_regclass($1) AND attname = 'embedding' AND NOT attisdropped`,
        [quoted(this.table)],
      );
      const match = /^vector\((\d+)\)$/.exec(result.rows[0]?.type ?? '');
      return match ? Number(match[1]) : undefined;
    } catch (error) {
      throw queryError(this.db.url, error, `reading the columns of ${quoted(this.table)}`);
    } finally {
      client.release();
    }
  }

  private async transaction(
    doing: string,
    work: (client: pg.PoolClient) => Promise<void>,
  ): Promise<void> {
    const client = await checkout(this.db.pool, this.db.url);
    try {
      await client.query('BEGIN');
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      if (error instanceof StoreError || error instanceof UsageError) throw error;
      throw queryError(this.db.url, error, doing);
    } finally {
      client.release();
    }
  }

  private checkOpen(method: string): void {
    if (this.closed)
      throw new UsageError(`${method}: ${this.location} was closed; open the gallery again.`);
  }
}
