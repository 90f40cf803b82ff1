/**
 * W1 with data parallelism over worker_threads: each worker (w1-data-parallel-worker.ts) has its
 * own wasm backend (one thread each: tfjs-backend-wasm has no threads in Node) and model copy,
 * computes the gradient of its share of every batch of 64, and all average through a
 * SharedArrayBuffer before the same Adam update (w1-shared-step.ts).
 *
 * This lever trades CPU for wall time: every worker still runs every per-op kernel of a step, on
 * fewer rows. The same batches in the same order as the single-thread trainer (same seeded
 * permutation per epoch); the averaged gradient differs from the full-batch one by rounding.
 */
import { Worker } from 'node:worker_threads';
import { SeededRandom } from '../../src/random/seeded-random.js';
import type { StepPhases, WorkerMessage, WorkerStart } from './w1-data-parallel-worker.js';
import { parameterCount } from './w1-model.js';
import { controlBuffer, type SharedTrainingData } from './w1-shared-step.js';
import type { W1Data, W1Options, W1Outcome } from './w1-types.js';

const WORKER_URL = new URL('./w1-data-parallel-worker.ts', import.meta.url);
/**
 * The worker is TypeScript: Node 20 applies neither the parent's tsx hooks nor `--import tsx`
 * in execArgv to a worker's entry module, so a worker first registers tsx, then imports it.
 */
const TS_WORKER_BOOTSTRAP = `
const { workerData } = require('node:worker_threads');
import('tsx/esm/api').then(({ register }) => { register(); return import(workerData.url); });
`;

function shareTrainingData(data: W1Data, options: W1Options, workers: number): SharedTrainingData {
  const { count, size } = data.train;
  const pixels = new SharedArrayBuffer(count * size * Float32Array.BYTES_PER_ELEMENT);
  new Float32Array(pixels).set(data.train.pixels);
  // The single-thread trainer's orders: one seeded permutation per epoch from the same stream.
  const order = new SharedArrayBuffer(options.epochs * count * Int32Array.BYTES_PER_ELEMENT);
  const orders = new Int32Array(order);
  const rng = new SeededRandom(options.seed);
  for (let e = 0; e < options.epochs; e++) orders.set(rng.permutation(count), e * count);
  const n = parameterCount();
  return {
    workers,
    epochs: options.epochs,
    batchSize: options.batchSize,
    seed: options.seed,
    levers: options.levers,
    count,
    size,
    pixels,
    order,
    control: controlBuffer(workers),
    gradients: new SharedArrayBuffer(2 * workers * n * Float32Array.BYTES_PER_ELEMENT),
    parameterCount: n,
  };
}

type MessageOf<T extends WorkerMessage['type']> = Extract<WorkerMessage, { type: T }>;

/**
 * A worker's messages, queued from the moment it starts: a message that arrives before anyone
 * awaits it (a fast epoch) is kept, not lost; an error or early exit fails every later wait.
 */
class WorkerInbox {
  private readonly queue: WorkerMessage[] = [];
  private waiter: { type: string; resolve: (m: WorkerMessage) => void } | undefined;
  private failure: Error | undefined;
  private rejectWaiter: ((e: Error) => void) | undefined;

  constructor(readonly worker: Worker) {
    worker.on('message', (m: WorkerMessage) => {
      if (this.waiter?.type === m.type) {
        const { resolve } = this.waiter;
        this.waiter = undefined;
        resolve(m);
      } else this.queue.push(m);
    });
    const fail = (e: Error) => {
      this.failure ??= e;
      this.rejectWaiter?.(this.failure);
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`a W1 worker exited with code ${code}`)));
  }

  next<T extends WorkerMessage['type']>(type: T): Promise<MessageOf<T>> {
    const queued = this.queue.findIndex((m) => m.type === type);
    if (queued >= 0) return Promise.resolve(this.queue.splice(queued, 1)[0] as MessageOf<T>);
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.waiter = { type, resolve: (m) => resolve(m as MessageOf<T>) };
      this.rejectWaiter = reject;
    });
  }
}

function cpuSecondsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

/** Largest |a − b| between two replicas' weights: 0 when they stayed in step. */
function replicaGap(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

export interface DataParallelOutcome extends W1Outcome {
  readonly workers: number;
  /** Largest weight difference between worker replicas after training (expected 0). */
  readonly replicaGap: number;
  /** Per worker: wall ms per step in each phase. */
  readonly phases: StepPhases[];
}

export async function trainDataParallel(
  data: W1Data,
  options: W1Options,
): Promise<DataParallelOutcome> {
  const count = options.levers.workers ?? 2;
  const shared = shareTrainingData(data, options, count);
  const workers = Array.from(
    { length: count },
    (_, worker) =>
      new WorkerInbox(
        new Worker(TS_WORKER_BOOTSTRAP, {
          eval: true,
          workerData: { shared, worker, url: WORKER_URL.href } satisfies WorkerStart,
        }),
      ),
  );
  try {
    await Promise.all(workers.map((w) => w.next('ready')));
    const epochSeconds: number[] = [];
    const epochCpuSeconds: number[] = [];
    // process.cpuUsage counts every thread of the process: both workers' CPU is in it.
    let start = performance.now();
    let cpu = process.cpuUsage();
    for (const w of workers) w.worker.postMessage({ type: 'start' });
    for (let epoch = 0; epoch < options.epochs; epoch++) {
      await Promise.all(workers.map((w) => w.next('epochDone')));
      epochSeconds.push((performance.now() - start) / 1000);
      epochCpuSeconds.push(cpuSecondsSince(cpu));
      start = performance.now();
      cpu = process.cpuUsage();
    }
    const results = await Promise.all(workers.map((w) => w.next('trained')));
    const first = results[0] as (typeof results)[number];
    return {
      epochSeconds,
      epochCpuSeconds,
      testMse: first.testMse ?? Number.NaN,
      lastTrainLoss: first.lastLoss,
      workers: count,
      phases: results.map((r) => r.phases),
      replicaGap: Math.max(...results.map((r) => replicaGap(first.weights, r.weights))),
    };
  } finally {
    await Promise.all(workers.map((w) => w.worker.terminate()));
  }
}
