/**
 * Load benchmark of `mmae serve` (issue #18): autocannon against `retrieve` (text → image,
 * top 10 over the test split's images) and `generate` (text → image), each with its own number
 * of requests at a fixed concurrency, against a server in a child process so the load generator
 * never shares its event loop. Reports latency percentiles, errors and non-2xx replies, and the
 * server's RSS before and after each phase (from /proc, Linux).
 *
 *   npx tsx bench/serve-load.ts [--run RUN] [--requests 10000] [--connections 50] [--samples 1]
 *                               [--rounds 1] [--out bench/results/serve-load.json]
 *
 * Without --run it trains one: the shipped MVAE's architecture (configs/mnist-image-text-poe.yaml)
 * for one epoch on 5,000 training pairs, with the whole 10,000-pair test split as the gallery.
 * The model's quality is beside the point; the gallery's size and the network's shape are not.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { parseConfig } from '../src/config/load-config.js';
import { trainJob } from '../src/experiment/train-job.js';
import { runIdsOf } from '../src/serve/index.js';
import { intArg, parseArgs } from './workloads/cli-args.js';

const args = parseArgs(process.argv.slice(2));
const requests = intArg(args, 'requests', 10_000);
const connections = intArg(args, 'connections', 50);
const samples = intArg(args, 'samples', 1);
// Each round runs both phases again on the same server: the RSS after each round shows whether
// memory stays flat.
const rounds = intArg(args, 'rounds', 1);

async function trainedRun(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mmae-serve-load-'));
  const config = parseConfig(
    {
      name: 'serve-load',
      seed: 42,
      backend: 'wasm',
      dataset: { id: 'mnist-captions', options: { trainLimit: 5000, validationSize: 500 } },
      modalities: [
        {
          id: 'image',
          options: { encoder: 'dense', hiddenSizes: [256, 128], likelihood: 'bernoulli' },
        },
        { id: 'text', options: { encoder: 'mean', maxLength: 8, embeddingSize: 64 }, weight: 20 },
      ],
      model: { variant: 'poe', latentSize: 16, beta: 1 },
      training: { epochs: 1, batchSize: 128, optimizer: { name: 'adam', learningRate: 0.001 } },
    },
    'serve-load config',
  );
  const out = join(dir, 'run');
  const trained = await trainJob({
    config: { config, baseDir: dir },
    out,
    quiet: true,
    log: () => {},
  });
  trained.model.dispose();
  return out;
}

/** Starts `mmae serve RUN --port 0` and resolves with its address once it listens. */
function startServer(run: string): Promise<{ child: ChildProcess; address: string }> {
  const child = spawn(
    process.execPath,
    ['bin/mmae.js', 'serve', run, '--port', '0', '--max-concurrent', String(connections + 14)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /listening on (http:\/\/[^;\s]+)/.exec(out);
      if (match) resolve({ child, address: match[1]! });
    });
    child.once('exit', (code) =>
      reject(new Error(`mmae serve exited (${code}) before listening: ${out}`)),
    );
  });
}

/** The server's resident set now and at its peak, in MiB. */
async function rssOf(pid: number): Promise<{ rssMiB: number; peakMiB: number }> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const kib = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? NaN);
  return { rssMiB: kib('VmRSS') / 1024, peakMiB: kib('VmHWM') / 1024 };
}

async function post(address: string, path: string, body: object): Promise<number> {
  const response = await fetch(`${address}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  const reply = (await response.json()) as { gallerySize?: number };
  if (reply.gallerySize !== undefined) console.log(`gallery: ${reply.gallerySize} items`);
  return response.status;
}

async function phase(name: string, address: string, path: string, body: object, pid: number) {
  const before = await rssOf(pid);
  const result = await autocannon({
    url: `${address}${path}`,
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
    connections,
    amount: requests,
    timeout: 30,
  });
  const after = await rssOf(pid);
  const row = {
    name,
    requests: result.requests.total,
    connections,
    latencyMs: {
      p50: result.latency.p50,
      p90: result.latency.p90,
      p99: result.latency.p99,
      max: result.latency.max,
      mean: result.latency.average,
    },
    requestsPerSecond: result.requests.average,
    errors: result.errors,
    timeouts: result.timeouts,
    non2xx: result.non2xx,
    rssBefore: before,
    rssAfter: after,
    // The machine may be shared: its 1-minute load average when the phase ended.
    loadAverage1m: loadavg()[0],
    durationS: result.duration,
  };
  console.log(JSON.stringify(row));
  return row;
}

const run = args.get('run') ?? (await trainedRun());
const { child, address } = await startServer(run);
try {
  const retrieve = { query: { text: 'a handwritten seven' }, to: 'image', k: 10 };
  const generate = { from: { text: 'a handwritten three' }, to: 'image', samples };
  // First use opens (or builds) the gallery index; the benchmark measures the warm server.
  const base = `/api/runs/${runIdsOf([run])[0]}`;
  const warm = [
    await post(address, `${base}/retrieve`, retrieve),
    await post(address, `${base}/generate`, generate),
  ];
  if (warm.some((s) => s !== 200)) throw new Error(`warm-up answered ${warm.join(', ')}`);
  const rows = [];
  for (let round = 1; round <= rounds; round++) {
    const pid = child.pid!;
    const retrieved = await phase(
      'retrieve text→image k=10',
      address,
      `${base}/retrieve`,
      retrieve,
      pid,
    );
    const name = `generate text→image samples=${samples}`;
    const generated = await phase(name, address, `${base}/generate`, generate, pid);
    rows.push({ round, ...retrieved }, { round, ...generated });
  }
  const out = args.get('out');
  if (out)
    await writeFile(
      out,
      `${JSON.stringify({ date: new Date().toISOString(), run, rows }, null, 2)}\n`,
    );
} finally {
  child.kill('SIGTERM');
}
