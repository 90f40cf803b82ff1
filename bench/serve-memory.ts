/**
 * Whether `mmae serve` holds memory flat: rounds of retrieve and generate requests (fastify
 * `inject`, 50 at a time, no network), and after each round a full GC and the process's memory:
 * RSS, V8's heap, external memory and tfjs's tensors. An HTTP load run (serve-load.ts) sees RSS
 * move with V8's heap sizing; with a GC forced between rounds, a leak would show as growth here.
 *
 *   node --expose-gc --import tsx bench/serve-memory.ts --run RUN [--rounds 5] [--per-round 1000]
 */
import * as tf from '@tensorflow/tfjs';
import { buildServer, runIdsOf } from '../src/serve/index.js';
import { intArg, parseArgs } from './workloads/cli-args.js';

const args = parseArgs(process.argv.slice(2));
const run = args.get('run');
if (!run) throw new Error('give --run RUN: a trained run (bench/serve-load.ts trains one)');
const rounds = intArg(args, 'rounds', 5);
const perRound = intArg(args, 'per-round', 1000);
const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('run with node --expose-gc');

const app = await buildServer({ runs: [run], log: () => {} });
const base = `/api/runs/${runIdsOf([run])[0]}`;
const bodies = {
  retrieve: { query: { text: 'a handwritten seven' }, to: 'image', k: 10 },
  generate: { from: { text: 'a handwritten three' }, to: 'image', samples: 1 },
};
const mib = (bytes: number) => Number((bytes / 1048576).toFixed(1));
try {
  for (let round = 1; round <= rounds; round++) {
    for (const [route, payload] of Object.entries(bodies)) {
      for (let sent = 0; sent < perRound; sent += 50) {
        const replies = await Promise.all(
          Array.from({ length: Math.min(50, perRound - sent) }, () =>
            app.inject({ method: 'POST', url: `${base}/${route}`, payload }),
          ),
        );
        const failed = replies.find((r) => r.statusCode !== 200);
        if (failed) throw new Error(`${route} answered ${failed.statusCode}: ${failed.body}`);
      }
    }
    gc();
    const m = process.memoryUsage();
    const line = {
      round,
      requests: 2 * perRound * round,
      rssMiB: mib(m.rss),
      heapUsedMiB: mib(m.heapUsed),
      externalMiB: mib(m.external),
      tensors: tf.memory().numTensors,
      tensorMiB: mib(tf.memory().numBytes),
    };
    console.log(JSON.stringify(line));
  }
} finally {
  await app.close();
}
