/**
 * W7 (MNIST): a trained run's real codes in PostgreSQL + pgvector (the tests' PGlite wire server,
 * reached through `pg`): the 10,000 MNIST test images' codes loaded through
 * PostgresVectorStore.addBatch, the HNSW index built, then the test captions' codes as
 * caption → image queries, one at a time, at two ef_search values. Against the exact in-process
 * index on the same codes: recall@10, the share of queries whose top-10 ids come back identical
 * and in the same order, and the largest distance difference. Beside them, the p50 of the same
 * four statements a search sends (BEGIN, SET LOCAL hnsw.ef_search, a SELECT, COMMIT) with
 * `SELECT 1` in place of the search: what the wire server costs before any vector is compared.
 * Prints one JSON line.
 *
 *   npx mmae train configs/mnist-image-text-poe.yaml --out runs/readme-poe
 *   tsx bench/workloads/w7-mnist.ts [--run runs/readme-poe] [--queries 1000] [--ef 40,200]
 */
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { encodeGallery } from '../../src/crossmodal/gallery-index.js';
import { LOAD_BATCH } from '../../src/crossmodal/gallery-store.js';
import { openRun } from '../../src/open/open-run.js';
import { ExactIndex } from '../../src/search/index.js';
import { parseDatabaseUrl, PostgresVectorStore } from '../../src/search/postgres/index.js';
import { startPgliteServer } from '../../test/support/pglite-server.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { percentile } from './latency.js';

const K = 10;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const runDir = args.get('run') ?? 'runs/readme-poe';
  const queryCount = intArg(args, 'queries', 1000);
  const efs = (args.get('ef') ?? '40,200').split(',').map(Number);
  const opened = await openRun(runDir);
  const images = await encodeGallery(opened, 'image', 'test');
  const captions = await encodeGallery(opened, 'text', 'test');
  const dims = opened.model.latentSize;
  opened.model.dispose();
  const queries = captions.codes.subarray(0, Math.min(queryCount, captions.size) * dims);
  const queryRows = queries.length / dims;

  const server = await startPgliteServer();
  const store = await PostgresVectorStore.create(
    { url: parseDatabaseUrl(server.url, 'bench'), max: 1 },
    { runId: 'w7-mnist', modality: 'image', split: 'test' },
    { dims, metric: 'cosine', checkpoint: opened.checkpoint },
  );
  const loadStart = performance.now();
  for (let start = 0; start < images.size; start += LOAD_BATCH) {
    const end = Math.min(images.size, start + LOAD_BATCH);
    await store.addBatch(
      images.ids.slice(start, end),
      images.codes.subarray(start * dims, end * dims),
      images.labels.slice(start, end),
    );
  }
  const loadMs = performance.now() - loadStart;
  const buildStart = performance.now();
  await store.finish();
  const buildMs = performance.now() - buildStart;

  const exact = ExactIndex.build(images.codes, { metric: 'cosine', dims, ids: images.ids });
  const truth = exact.search(queries, K);
  exact.dispose();
  const result: Record<string, number | string> = {
    workload: 'W7-mnist',
    server: 'PGlite 0.5 + pgvector over pglite-socket',
    run: runDir,
    rows: images.size,
    dims,
    queries: queryRows,
    loadRowsPerS: Math.round(images.size / (loadMs / 1000)),
    hnswBuildS: Number((buildMs / 1000).toFixed(1)),
  };
  for (const ef of efs) {
    const times: number[] = [];
    let found = 0;
    let identical = 0;
    let maxDistanceDiff = 0;
    for (let q = 0; q < queryRows; q++) {
      const t0 = performance.now();
      const [hits = []] = await store.search(queries.subarray(q * dims, (q + 1) * dims), K, {
        efSearch: ef,
      });
      times.push(performance.now() - t0);
      const want = truth[q]!;
      const wantIds = new Set(want.map((h) => h.id));
      found += hits.filter((h) => wantIds.has(h.id)).length;
      if (hits.length === K && hits.every((h, i) => h.id === want[i]!.id)) {
        identical++;
        for (const [i, h] of hits.entries()) {
          maxDistanceDiff = Math.max(maxDistanceDiff, Math.abs(h.distance - want[i]!.distance));
        }
      }
    }
    result[`ef${ef}_p50Ms`] = Number(percentile(times, 50).toFixed(2));
    result[`ef${ef}_p99Ms`] = Number(percentile(times, 99).toFixed(2));
    result[`ef${ef}_recallAt10`] = Number((found / (queryRows * K)).toFixed(4));
    result[`ef${ef}_identicalTop10`] = Number((identical / queryRows).toFixed(4));
    result[`ef${ef}_maxDistanceDiff`] = Number(maxDistanceDiff.toExponential(2));
    process.stderr.write(`${JSON.stringify(result)}\n`);
  }
  const client = new pg.Client({ connectionString: server.url });
  await client.connect();
  const overhead: number[] = [];
  for (let q = 0; q < queryRows; q++) {
    const t0 = performance.now();
    await client.query('BEGIN');
    await client.query('SET LOCAL hnsw.ef_search = 40');
    await client.query('SELECT 1');
    await client.query('COMMIT');
    overhead.push(performance.now() - t0);
  }
  await client.end();
  result.emptySearchTransaction_p50Ms = Number(percentile(overhead, 50).toFixed(2));
  await store.close();
  await server.stop();
  console.log(JSON.stringify(result));
}

if (isMain(import.meta.url)) await main();
