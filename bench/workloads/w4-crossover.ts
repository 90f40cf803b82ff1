/**
 * Where the plain-TS scan beats the tensor path of ExactIndex, per backend: median milliseconds
 * per search call for gallery sizes × query batch sizes. Feeds SCAN_MAX_WORK in exact-index.ts.
 *
 *   tsx bench/workloads/w4-crossover.ts [--backends wasm,cpu]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { ExactIndex } from '../../src/search/index.js';
import { isMain, parseArgs } from './cli-args.js';
import { median, timeEach } from './latency.js';

const DIMS = 32;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const rng = new SeededRandom(3);
  const rows: Record<string, number | string>[] = [];
  for (const backend of (args.get('backends') ?? 'wasm,cpu').split(',')) {
    await tf.setBackend(backend);
    await tf.ready();
    for (const n of [100, 1000, 3000, 10_000, 30_000, 100_000]) {
      const gallery = Float32Array.from({ length: n * DIMS }, () => rng.normal());
      for (const batch of [1, 10, 100]) {
        const queries = Float32Array.from({ length: batch * DIMS }, () => rng.normal());
        const row: Record<string, number | string> = { backend, n, batch };
        for (const strategy of ['scan', 'tensor'] as const) {
          const index = ExactIndex.build(gallery, { metric: 'euclidean', dims: DIMS, strategy });
          const reps = Array.from({ length: batch === 1 ? 50 : 10 }, (_, i) => i);
          row[`${strategy}Ms`] = median(timeEach(reps, () => index.search(queries, 10), 3));
          index.dispose();
        }
        rows.push(row);
        process.stderr.write(`${JSON.stringify(row)}\n`);
      }
    }
  }
  console.log(JSON.stringify({ workload: 'W4-crossover', rows }));
}

if (isMain(import.meta.url)) await main();
