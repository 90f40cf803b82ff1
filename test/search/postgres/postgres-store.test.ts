/**
 * The PostgreSQL store against a real PostgreSQL wire server (PGlite + pgvector on a loopback
 * port), reached through `pg` as in production. PGlite runs one statement at a time, so each
 * store's pool holds one connection (max: 1); the server allows a few so pools may overlap.
 */
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreError } from '../../../src/errors/errors.js';
import { ExactIndex, StaleIndexError } from '../../../src/search/index.js';
import { InProcessVectorStore } from '../../../src/search/in-process-store.js';
import {
  parseDatabaseUrl,
  PostgresVectorStore,
  REGISTRY_TABLE,
  type DatabaseUrl,
  type GalleryKey,
  type HnswBuildOptions,
} from '../../../src/search/postgres/index.js';
import { useBackend } from '../../support/backend.js';
import { startPgliteServer, type PgliteServer } from '../../support/pglite-server.js';
import { randomVectors } from '../random-vectors.js';

const DIMS = 32;
const ROWS = 2000;
const gallery = randomVectors(ROWS, DIMS, 21);
const queries = randomVectors(20, DIMS, 22);
const ids = Array.from({ length: ROWS }, (_, i) => `row-${i}`);
const labels = Array.from({ length: ROWS }, (_, i) => i % 10);
const metadata = ids.map((_, i) => ({ source: i % 4 === 0 ? 'noto' : 'twemoji' }));
const checkpoint = { generation: 3, weightsSha256: 'ab'.repeat(32) };

let server: PgliteServer;
let url: DatabaseUrl;
const options = () => ({ url, max: 1 });

beforeAll(async () => {
  await useBackend('cpu');
  server = await startPgliteServer();
  url = parseDatabaseUrl(server.url, 'test');
});

afterAll(async () => {
  await server?.stop();
});

async function loaded(
  key: GalleryKey,
  metric: 'cosine' | 'euclidean',
  hnsw: HnswBuildOptions = { m: 16, efConstruction: 64 },
): Promise<PostgresVectorStore> {
  const store = await PostgresVectorStore.create(options(), key, {
    dims: DIMS,
    metric,
    checkpoint,
  });
  for (let start = 0; start < ROWS; start += 500) {
    await store.addBatch(
      ids.slice(start, start + 500),
      gallery.subarray(start * DIMS, (start + 500) * DIMS),
      labels.slice(start, start + 500),
      metadata.slice(start, start + 500),
    );
  }
  await store.finish(hnsw);
  return store;
}

/** The exact in-process answer over the same rows. */
async function reference(metric: 'cosine' | 'euclidean') {
  const store = InProcessVectorStore.create({ dims: DIMS, metric });
  await store.addBatch(ids, gallery, labels, metadata);
  return store;
}

function expectSameHits(
  found: { id: string; distance: number; label?: number }[][],
  expected: { id: string; distance: number; label?: number }[][],
): void {
  expect(found).toHaveLength(expected.length);
  found.forEach((row, q) => {
    expect(row.map((h) => h.id)).toEqual(expected[q]!.map((h) => h.id));
    expect(row.map((h) => h.label)).toEqual(expected[q]!.map((h) => h.label));
    // pgvector sums in float32, the exact index in float64 over float32 rows.
    row.forEach((h, i) =>
      expect(Math.abs(h.distance - expected[q]![i]!.distance)).toBeLessThan(1e-5),
    );
  });
}

describe('PostgresVectorStore on PostgreSQL with pgvector', () => {
  for (const metric of ['cosine', 'euclidean'] as const) {
    it(`returns the ids and ${metric} distances of the exact in-process index`, async () => {
      const store = await loaded(
        { runId: `exact-${metric}`, modality: 'image', split: 'test' },
        metric,
      );
      const exact = await reference(metric);
      const expected = await exact.search(queries, 10);
      expectSameHits(await store.search(queries, 10, { exact: true }), expected);
      // Through the HNSW index, with a candidate list as large as pgvector allows: the same top-10.
      expectSameHits(await store.search(queries, 10, { efSearch: 1000 }), expected);
      expect(await store.count()).toBe(ROWS);
      expect(store.gallery).toMatchObject({ rows: ROWS, complete: true, dims: DIMS, metric });
      await store.close();
      await exact.close();
    });
  }

  it('builds under its own maintenance_work_mem, set for the build alone, and refuses a bad size', async () => {
    // 1 MB holds about 1,500 of these rows' graph nodes: the rest go pgvector's on-disk way.
    const store = await loaded({ runId: 'work-mem', modality: 'image', split: 'test' }, 'cosine', {
      m: 16,
      efConstruction: 64,
      maintenanceWorkMemMb: 1,
    });
    const exact = await reference('cosine');
    expectSameHits(
      await store.search(queries, 10, { efSearch: 1000 }),
      await exact.search(queries, 10),
    );
    await exact.close();
    // PGlite has one session for every connection: SET LOCAL left it as it was.
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const shown = await client.query<{ maintenance_work_mem: string }>('SHOW maintenance_work_mem');
    await client.end();
    expect(shown.rows[0]!.maintenance_work_mem).not.toBe('1MB');
    for (const bad of [0, 1.5, 70_000]) {
      await expect(
        store.finish({ m: 16, efConstruction: 64, maintenanceWorkMemMb: bad }),
      ).rejects.toThrow(/--maintenance-work-mem: .* is not a whole number of MB from 1 to 65536/);
    }
    await store.close();
  });

  it('recalls most of the exact top-10 through HNSW at the default ef_search', async () => {
    const store = await PostgresVectorStore.open(options(), {
      runId: 'exact-cosine',
      modality: 'image',
      split: 'test',
    });
    const exact = await reference('cosine');
    const truth = await exact.search(queries, 10);
    const found = await store.search(queries, 10);
    let hits = 0;
    found.forEach((row, q) => {
      const want = new Set(truth[q]!.map((h) => h.id));
      hits += row.filter((h) => want.has(h.id)).length;
    });
    expect(hits / ((10 * queries.length) / DIMS)).toBeGreaterThan(0.9);
    await store.close();
    await exact.close();
  });

  it('filters by label and metadata in SQL, with the exact answer even for a selective filter', async () => {
    const store = await PostgresVectorStore.open(options(), {
      runId: 'exact-cosine',
      modality: 'image',
      split: 'test',
    });
    const exact = await reference('cosine');
    const filter = { labels: [2, 5], metadata: { source: 'noto' } };
    expect(await store.count(filter)).toBe(await exact.count(filter));
    expectSameHits(
      await store.search(queries, 10, { filter }),
      await exact.search(queries, 10, { filter }),
    );
    // One row in 20 passes: HNSW at ef_search 40 alone would return a few; k come back.
    const rare = { labels: [8], metadata: { source: 'noto' } };
    const rareHits = await store.search(queries, 10, { filter: rare });
    expectSameHits(rareHits, await exact.search(queries, 10, { filter: rare }));
    for (const row of rareHits) expect(row).toHaveLength(10);
    await store.close();
    await exact.close();
  });

  it('answers a filtered search the graph alone leaves short with the exact scan', async () => {
    const store = await PostgresVectorStore.open(options(), {
      runId: 'exact-cosine',
      modality: 'image',
      split: 'test',
    });
    const exact = await reference('cosine');
    // Half the rows pass, so the planner walks the HNSW index (a rarer filter gets a sequential
    // scan, exact by itself); without iterative scan the graph's first 10 candidates hold about
    // 5 that pass, and the exact scan supplies the answer.
    store.iterativeScan = 'off';
    const half = { labels: [0, 1, 2, 3, 4] };
    const hits = await store.search(queries, 10, { filter: half, efSearch: 10 });
    expectSameHits(hits, await exact.search(queries, 10, { filter: half }));
    for (const row of hits) expect(row).toHaveLength(10);
    await store.close();
    await exact.close();
  });

  it('repeats no row when a batch is loaded twice (ON CONFLICT DO NOTHING)', async () => {
    const key = { runId: 'twice', modality: 'image', split: 'test' };
    const store = await PostgresVectorStore.create(options(), key, {
      dims: DIMS,
      metric: 'cosine',
      checkpoint,
    });
    expect(await store.addBatch(ids.slice(0, 100), gallery.subarray(0, 100 * DIMS))).toEqual({
      added: 100,
      skipped: 0,
    });
    expect(
      await store.addBatch(ids.slice(50, 150), gallery.subarray(50 * DIMS, 150 * DIMS)),
    ).toEqual({ added: 50, skipped: 50 });
    expect(await store.count()).toBe(150);
    await store.drop();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const left = await client.query(
      `SELECT count(*)::int AS n FROM ${REGISTRY_TABLE} WHERE run_id = 'twice'`,
    );
    await client.end();
    expect(left.rows[0].n).toBe(0);
  });

  it('refuses a gallery whose indexing never finished', async () => {
    const key = { runId: 'unfinished', modality: 'image', split: 'test' };
    const store = await PostgresVectorStore.create(options(), key, {
      dims: DIMS,
      metric: 'cosine',
      checkpoint,
    });
    await store.addBatch(ids.slice(0, 10), gallery.subarray(0, 10 * DIMS));
    await store.close();
    const opening = PostgresVectorStore.open(options(), key, { checkpoint });
    await expect(opening).rejects.toThrow(StaleIndexError);
    await expect(PostgresVectorStore.open(options(), key)).rejects.toThrow(/incomplete/);
  });

  it('refuses a stale gallery, built from another checkpoint, naming both', async () => {
    const key = { runId: 'exact-cosine', modality: 'image', split: 'test' };
    const newer = { generation: 4, weightsSha256: 'cd'.repeat(32) };
    const opening = PostgresVectorStore.open(options(), key, { checkpoint: newer });
    await expect(opening).rejects.toThrow(StaleIndexError);
    await expect(PostgresVectorStore.open(options(), key, { checkpoint: newer })).rejects.toThrow(
      /stale: built from checkpoint generation 3 \(weights abababababab…\), the run is now at generation 4/,
    );
    const fine = await PostgresVectorStore.open(options(), key, { checkpoint, dims: DIMS });
    await fine.close();
  });

  it('refuses a gallery of another latent size, and a table altered behind the registry', async () => {
    const key = { runId: 'exact-cosine', modality: 'image', split: 'test' };
    const refusal = PostgresVectorStore.open(options(), key, { dims: 16 });
    await expect(refusal).rejects.toThrow(StoreError);
    await expect(PostgresVectorStore.open(options(), key, { dims: 16 })).rejects.toThrow(
      /codes of 32 dims but the model's latent has 16/,
    );
    const small = { runId: 'altered', modality: 'image', split: 'test' };
    const store = await PostgresVectorStore.create(options(), small, {
      dims: 4,
      metric: 'cosine',
      checkpoint,
    });
    await store.addBatch(['a'], new Float32Array([1, 0, 0, 0]));
    await store.finish();
    const table = store.table;
    await store.close();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(`ALTER TABLE ${pg.escapeIdentifier(table)} DROP COLUMN embedding`);
    await client.query(`ALTER TABLE ${pg.escapeIdentifier(table)} ADD COLUMN embedding vector(5)`);
    await client.end();
    const altered = PostgresVectorStore.open(options(), small);
    await expect(altered).rejects.toMatchObject({ reason: 'latent-size' });
  });

  it('quotes a hostile run name as one identifier, so it creates a table and runs nothing', async () => {
    const key = { runId: 'x"; DROP TABLE mmae_galleries; --', modality: "im'age", split: 'te;st' };
    const store = await PostgresVectorStore.create(options(), key, {
      dims: 4,
      metric: 'euclidean',
      checkpoint,
    });
    await store.addBatch(
      ['q"1', "q'2"],
      new Float32Array([1, 0, 0, 0, 0, 1, 0, 0]),
      [1, 2],
      [{ k: "it's" }, null],
    );
    await store.finish();
    const [hits] = await store.search(new Float32Array([1, 0, 0, 0]), 2, {
      filter: { metadata: { k: "it's" } },
    });
    expect(hits).toEqual([{ id: 'q"1', label: 1, distance: 0 }]);
    const table = store.table;
    expect(table).toBe(`mmae_im'age_te;st_x"; DROP TABLE mmae_galleries; --`);
    await store.close();
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    const tables = await client.query(
      'SELECT relname FROM pg_class WHERE relname = $1 OR relname = $2',
      [table, REGISTRY_TABLE],
    );
    await client.end();
    expect(tables.rows.map((r) => r.relname).sort()).toEqual([table, REGISTRY_TABLE].sort());
  });

  it('bounds a long run name to 63 bytes with a hash, so two long names never share a table', async () => {
    const long = 'r'.repeat(200);
    const a = await PostgresVectorStore.create(
      options(),
      { runId: `${long}-a`, modality: 'image', split: 'test' },
      { dims: 4, metric: 'cosine', checkpoint },
    );
    const b = await PostgresVectorStore.create(
      options(),
      { runId: `${long}-b`, modality: 'image', split: 'test' },
      { dims: 4, metric: 'cosine', checkpoint },
    );
    expect(Buffer.byteLength(a.table)).toBeLessThanOrEqual(63);
    expect(a.table).not.toBe(b.table);
    await a.addBatch(['only-a'], new Float32Array([1, 0, 0, 0]));
    expect(await b.count()).toBe(0);
    await a.drop();
    await b.drop();
  });

  it('never replaces a table of the same name that the registry does not list', async () => {
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query('CREATE TABLE "mmae_image_test_users-own" (x int)');
    await client.end();
    const creating = PostgresVectorStore.create(
      options(),
      { runId: 'users-own', modality: 'image', split: 'test' },
      { dims: 4, metric: 'cosine', checkpoint },
    );
    await expect(creating).rejects.toMatchObject({ reason: 'schema' });
  });

  it('says which gallery is missing and how to build it', async () => {
    const opening = PostgresVectorStore.open(options(), {
      runId: 'never-built',
      modality: 'image',
      split: 'test',
    });
    await expect(opening).rejects.toThrow(
      /holds no gallery for run "never-built", modality image, split test; build it with: mmae index/,
    );
  });

  it('searches the same rows as the exact index of the same codes, ids and labels included', async () => {
    const store = await PostgresVectorStore.open(options(), {
      runId: 'exact-cosine',
      modality: 'image',
      split: 'test',
    });
    const index = ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS, ids, labels });
    const expected = index
      .search(queries, 5)
      .map((row) => row.map(({ id, label, distance }) => ({ id, label, distance })));
    index.dispose();
    expectSameHits(await store.search(queries, 5, { exact: true }), expected);
    await store.close();
  });
});
