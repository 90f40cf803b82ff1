/**
 * W4: top-10 query latency over random 32-d latents, exact (ExactIndex: tensor path, plain-TS
 * scan, and the 'auto' choice) and approximate (HNSW), with the approximate recall@10.
 * Prints one JSON line with flat metrics, e.g. `exactAuto_100000_p50Ms`.
 *
 *   tsx bench/workloads/w4-search.ts [--sizes 10000,100000,1000000] [--quick] [--queries 200]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { ApproximateIndex, ExactIndex, type SearchHit } from '../../src/search/index.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { percentile, timeEach } from './latency.js';

const DIMS = 32;
const K = 10;
const EF_SWEEP = [64, 128, 256, 512];

function randomRows(rows: number, seed: number): Float32Array {
  const rng = new SeededRandom(seed);
  const out = new Float32Array(rows * DIMS);
  for (let i = 0; i < out.length; i++) out[i] = rng.normal();
  return out;
}

function queryList(data: Float32Array, count: number): Float32Array[] {
  return Array.from({ length: count }, (_, i) => data.subarray(i * DIMS, (i + 1) * DIMS));
}

function recallAt(found: SearchHit[][], truth: SearchHit[][]): number {
  let hits = 0;
  truth.forEach((t, q) => {
    const want = new Set(t.map((h) => h.index));
    for (const h of found[q] ?? []) if (want.has(h.index)) hits++;
  });
  return hits / (truth.length * K);
}

type Metrics = Record<string, number>;

function measureSize(
  n: number,
  queryCount: number,
  metrics: Metrics,
  log: (s: string) => void,
): void {
  const gallery = randomRows(n, 1000 + n);
  const queryData = randomRows(queryCount, 7);
  const queries = queryList(queryData, queryCount);
  const record = (name: string, samples: number[]): void => {
    metrics[`${name}_${n}_p50Ms`] = percentile(samples, 50);
    metrics[`${name}_${n}_p99Ms`] = percentile(samples, 99);
    log(
      `${name} n=${n}: p50 ${percentile(samples, 50).toFixed(3)} ms, p99 ${percentile(samples, 99).toFixed(3)} ms`,
    );
  };

  // The scan is ~30 ms per query at 100k rows already; at 1M only the auto (tensor) path is timed.
  const strategies = n <= 100_000 ? (['auto', 'scan', 'tensor'] as const) : (['auto'] as const);
  for (const strategy of strategies) {
    const index = ExactIndex.build(gallery, { metric: 'euclidean', dims: DIMS, strategy });
    const name = `exact${strategy[0]!.toUpperCase()}${strategy.slice(1)}`;
    record(
      name,
      timeEach(queries, (q) => index.search(q, K)),
    );
    // Throughput when queries come in a batch of 100 (ms per query).
    const batch = queryData.subarray(0, Math.min(100, queryCount) * DIMS);
    const perCall = timeEach([0, 1, 2], () => index.search(batch, K), 1);
    metrics[`${name}_${n}_batch100MsPerQuery`] = percentile(perCall, 50) / (batch.length / DIMS);
    index.dispose();
  }

  const exact = ExactIndex.build(gallery, { metric: 'euclidean', dims: DIMS });
  const truth = exact.search(queryData, K);
  exact.dispose();
  const buildStart = performance.now();
  const approx = ApproximateIndex.build(gallery, { metric: 'euclidean', dims: DIMS });
  metrics[`hnsw_${n}_buildSeconds`] = (performance.now() - buildStart) / 1000;
  log(`hnsw n=${n}: built in ${metrics[`hnsw_${n}_buildSeconds`]!.toFixed(1)} s`);
  // Sweep efSearch; the headline 'hnsw' row is the smallest ef that reaches recall@10 ≥ 0.95.
  let chosen: number | undefined;
  for (const ef of EF_SWEEP) {
    approx.setEfSearch(ef);
    const samples = timeEach(queries, (q) => approx.search(q, K));
    const recall = recallAt(approx.search(queryData, K), truth);
    metrics[`hnswEf${ef}_${n}_p50Ms`] = percentile(samples, 50);
    metrics[`hnswEf${ef}_${n}_recallAt10`] = recall;
    log(`hnsw ef=${ef} n=${n}: p50 ${percentile(samples, 50).toFixed(3)} ms, recall@10 ${recall}`);
    if (chosen === undefined && (recall >= 0.95 || ef === EF_SWEEP[EF_SWEEP.length - 1])) {
      chosen = ef;
      record('hnsw', samples);
      metrics[`hnsw_${n}_recallAt10`] = recall;
      metrics[`hnsw_${n}_efSearch`] = ef;
    }
  }
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend(args.get('backend') ?? 'wasm');
  await tf.ready();
  let sizes = (args.get('sizes') ?? '10000,100000,1000000').split(',').map(Number);
  if (args.has('quick')) sizes = sizes.filter((n) => n <= 100_000);
  const queryCount = intArg(args, 'queries', 200);
  const metrics: Metrics = {};
  const log = (s: string): void => void process.stderr.write(`[W4] ${s}\n`);
  for (const n of sizes) measureSize(n, queryCount, metrics, log);
  console.log(
    JSON.stringify({
      workload: 'W4',
      side: 'ours',
      metrics,
      info: {
        backend: tf.getBackend(),
        sizes,
        queries: queryCount,
        dims: DIMS,
        k: K,
        numTensorsAfter: tf.memory().numTensors,
      },
    }),
  );
}

if (isMain(import.meta.url)) await main();
