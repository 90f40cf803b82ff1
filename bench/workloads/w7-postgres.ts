/**
 * W7: a gallery in PostgreSQL + pgvector (the PGlite wire server of the tests, reached through
 * `pg`): load throughput (rows/s through PostgresVectorStore.addBatch), HNSW build time, and
 * top-10 query p50/p99 with recall@10 against the exact in-process index, at two ef_search values.
 * Random 32-d codes, seeded. Prints one JSON line at the end, and progress on stderr while it runs
 * (a 1M-row build takes tens of minutes on PGlite's single wasm backend).
 *
 * --maintenance-work-mem MB is the build's maintenance_work_mem, passed as `mmae index
 * --maintenance-work-mem` passes it (default: the server's own, 64MB on PGlite). pgvector builds
 * the HNSW graph in memory while it fits there (about 700 bytes a row here) and goes on row by
 * row into the on-disk graph once it does not, many times slower.
 *
 *   tsx bench/workloads/w7-postgres.ts [--rows 1000000] [--queries 200] [--ef 40,200] [--m 16]
 *     [--ef-construction 64] [--maintenance-work-mem 1024]
 */
import { performance } from 'node:perf_hooks';
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { ExactIndex } from '../../src/search/index.js';
import { parseDatabaseUrl, PostgresVectorStore } from '../../src/search/postgres/index.js';
import { startPgliteServer } from '../../test/support/pglite-server.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { percentile } from './latency.js';

const DIMS = 32;
const K = 10;
const BATCH = 1000;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rows = intArg(args, 'rows', 1_000_000);
  const queryCount = intArg(args, 'queries', 200);
  const efs = (args.get('ef') ?? '40,200').split(',').map(Number);
  const workMem = args.has('maintenance-work-mem')
    ? intArg(args, 'maintenance-work-mem', 0)
    : undefined;
  const hnsw = {
    m: intArg(args, 'm', 16),
    efConstruction: intArg(args, 'ef-construction', 64),
    ...(workMem !== undefined ? { maintenanceWorkMemMb: workMem } : {}),
  };
  await tf.setBackend('cpu');
  const rng = new SeededRandom(7);
  const gallery = Float32Array.from({ length: rows * DIMS }, () => rng.normal());
  const queries = Float32Array.from({ length: queryCount * DIMS }, () => rng.normal());
  const ids = Array.from({ length: rows }, (_, i) => String(i));

  const server = await startPgliteServer();
  const progress = (what: string): void => {
    process.stderr.write(`${new Date().toISOString()} ${what}\n`);
  };
  const url = parseDatabaseUrl(server.url, 'bench');
  const key = { runId: 'w7', modality: 'random', split: 'test' };
  const checkpoint = { generation: 1, weightsSha256: '0'.repeat(64) };
  const store = await PostgresVectorStore.create({ url, max: 1 }, key, {
    dims: DIMS,
    metric: 'cosine',
    checkpoint,
  });
  const loadStart = performance.now();
  for (let start = 0; start < rows; start += BATCH) {
    const end = Math.min(rows, start + BATCH);
    await store.addBatch(ids.slice(start, end), gallery.subarray(start * DIMS, end * DIMS));
    if (end % 100_000 === 0) progress(`loaded ${end} rows`);
  }
  const loadMs = performance.now() - loadStart;
  progress(`load done: ${Math.round(rows / (loadMs / 1000))} rows/s; building HNSW`);
  const buildStart = performance.now();
  await store.finish(hnsw);
  const buildMs = performance.now() - buildStart;

  const exact = ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS, ids, strategy: 'scan' });
  const truth = exact.search(queries, K).map((row) => new Set(row.map((h) => h.id)));
  const result: Record<string, number | string> = {
    workload: 'W7-postgres',
    server: 'PGlite 0.5 + pgvector over pglite-socket',
    rows,
    dims: DIMS,
    m: hnsw.m,
    efConstruction: hnsw.efConstruction,
    loadRowsPerS: Math.round(rows / (loadMs / 1000)),
    hnswBuildS: Number((buildMs / 1000).toFixed(1)),
    maintenanceWorkMem: workMem === undefined ? 'server default' : `${workMem}MB`,
  };
  progress(`build done in ${result.hnswBuildS} s`);
  for (const ef of efs) {
    const times: number[] = [];
    let found = 0;
    for (let q = 0; q < queryCount; q++) {
      const query = queries.subarray(q * DIMS, (q + 1) * DIMS);
      const t0 = performance.now();
      const [hits = []] = await store.search(query, K, { efSearch: ef });
      times.push(performance.now() - t0);
      found += hits.filter((h) => truth[q]!.has(h.id)).length;
    }
    result[`ef${ef}_p50Ms`] = Number(percentile(times, 50).toFixed(2));
    result[`ef${ef}_p99Ms`] = Number(percentile(times, 99).toFixed(2));
    result[`ef${ef}_recallAt10`] = Number((found / (queryCount * K)).toFixed(4));
    process.stderr.write(`${JSON.stringify(result)}\n`);
  }
  exact.dispose();
  await store.close();
  await server.stop();
  console.log(JSON.stringify(result));
}

if (isMain(import.meta.url)) await main();
