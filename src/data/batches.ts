/**
 * Batches over a FeatureTable. Rows are visited in a seeded order per epoch; each batch gathers
 * its rows into pooled host arrays and builds one tensor per modality. The caller disposes each
 * batch, which hands its arrays back to the pool, so memory stays bounded by a few batches.
 */
import * as tf from '@tensorflow/tfjs';
import type {
  Batch as ContractBatch,
  FeatureColumn,
  FeatureTable,
  ModalityBatch,
} from './contract.js';
import { BatchBufferPool, type FeatureArray } from './batch-buffers.js';
import { ConfigError } from '../errors/errors.js';
import { SeededRandom, deriveSeed } from '../random/seeded-random.js';

/** The row order of one epoch: a permutation of 0..size-1 fixed by (seed, epoch). */
export function epochOrder(size: number, seed: number, epoch: number): Int32Array {
  return new SeededRandom(deriveSeed(seed, 'epoch', epoch)).permutation(size);
}

export interface BatchOptions {
  readonly batchSize: number;
  /** Shuffle rows with epochOrder(size, seed, epoch); default true. */
  readonly shuffle?: boolean;
  readonly seed?: number;
  readonly epoch?: number;
  /** Drop a final batch smaller than batchSize; default false. */
  readonly dropLast?: boolean;
  /** Modalities to build tensors for; default every column of the table. */
  readonly modalities?: readonly string[];
}

/** One modality's tensors in a batch (the contract's ModalityBatch). */
export type BatchInput = ModalityBatch;

/** The contract's Batch, plus a host copy of each modality's presence. */
export interface Batch extends ContractBatch {
  /** Host copy of each modality's presence as 0/1 (for masks). */
  readonly presence: Readonly<Record<string, Float32Array>>;
}

/** Number of batches one epoch yields. */
export function batchCount(size: number, batchSize: number, dropLast = false): number {
  return dropLast ? Math.floor(size / batchSize) : Math.ceil(size / batchSize);
}

interface HostBatch {
  readonly indices: Int32Array;
  readonly labels: Int32Array;
  readonly features: Record<string, FeatureArray>;
  readonly presence: Record<string, Float32Array>;
}

/** Gathers rows into pooled arrays and wraps them as tensors; one per iteration. */
class BatchAssembler {
  private readonly columns: [string, FeatureColumn, number, BatchBufferPool][];

  constructor(
    private readonly table: FeatureTable,
    batchSize: number,
    modalities: readonly string[],
  ) {
    this.columns = modalities.map((name) => {
      const column = table.columns[name];
      if (column === undefined) {
        throw new ConfigError(
          `modality '${name}' has no features in this table (it has ` +
            `${Object.keys(table.columns).join(', ') || 'none'}); prepare it first.`,
          'modalities',
        );
      }
      const rowLength = column.shape.reduce((a, b) => a * b, 1);
      return [name, column, rowLength, new BatchBufferPool(column.dtype, rowLength * batchSize)];
    });
  }

  gather(indices: Int32Array): HostBatch {
    const size = indices.length;
    const features: Record<string, FeatureArray> = {};
    const presence: Record<string, Float32Array> = {};
    for (const [name, column, rowLength, pool] of this.columns) {
      const out = pool.acquire(size * rowLength);
      const mask = new Float32Array(size);
      for (let b = 0; b < size; b++) {
        const row = indices[b] as number;
        const start = row * rowLength;
        out.set(column.data.subarray(start, start + rowLength), b * rowLength);
        mask[b] = column.present[row] as number;
      }
      features[name] = out;
      presence[name] = mask;
    }
    const labels = Int32Array.from(indices, (row) => this.table.labels[row] as number);
    return { indices, labels, features, presence };
  }

  toBatch(host: HostBatch): Batch {
    const size = host.indices.length;
    const inputs: Record<string, BatchInput> = {};
    const built: [FeatureArray, tf.Tensor, BatchBufferPool][] = [];
    for (const [name, column, , pool] of this.columns) {
      const array = host.features[name] as FeatureArray;
      const features = tf.tensor(array, [size, ...column.shape], column.dtype);
      const present = tf.tensor1d(Float32Array.from(host.presence[name] as Float32Array));
      inputs[name] = { features, present };
      built.push([array, features, pool]);
    }
    let disposed = false;
    return {
      indices: host.indices,
      size,
      labels: host.labels,
      inputs,
      presence: host.presence,
      dispose: () => {
        if (disposed) return;
        disposed = true;
        for (const input of Object.values(inputs)) {
          input.features.dispose();
          input.present.dispose();
        }
        for (const [array, tensor, pool] of built) pool.release(array, tensor);
      },
    };
  }
}

function plan(table: FeatureTable, options: BatchOptions): Int32Array[] {
  if (!Number.isInteger(options.batchSize) || options.batchSize < 1) {
    throw new ConfigError(
      `batchSize must be a whole number ≥ 1, got ${options.batchSize}.`,
      'batchSize',
    );
  }
  const order =
    options.shuffle === false
      ? Int32Array.from({ length: table.size }, (_, i) => i)
      : epochOrder(table.size, options.seed ?? 0, options.epoch ?? 0);
  const count = batchCount(table.size, options.batchSize, options.dropLast);
  return Array.from({ length: count }, (_, k) =>
    order.slice(k * options.batchSize, Math.min((k + 1) * options.batchSize, table.size)),
  );
}

function assembler(table: FeatureTable, options: BatchOptions): BatchAssembler {
  return new BatchAssembler(
    table,
    options.batchSize,
    options.modalities ?? Object.keys(table.columns),
  );
}

/** Yields the batches of one epoch. Dispose each batch before asking for the one after next. */
export function* iterateBatches(table: FeatureTable, options: BatchOptions): Generator<Batch> {
  const batches = plan(table, options);
  const build = assembler(table, options);
  for (const indices of batches) yield build.toBatch(build.gather(indices));
}

export interface AsyncBatchOptions extends BatchOptions {
  /**
   * Gather the next batch's rows in a later event-loop turn while the caller awaits its
   * training step; default true.
   */
  readonly prefetch?: boolean;
}

/**
 * Runs `task` in a later event-loop turn: setImmediate on Node; where it is absent (a browser), a
 * MessageChannel message, which setTimeout(0)'s 4 ms clamp for nested timers cannot delay.
 */
function nextTurn(task: () => void): void {
  const immediate = globalThis.setImmediate as ((task: () => void) => unknown) | undefined;
  if (typeof immediate === 'function') {
    immediate(task);
    return;
  }
  const { port1, port2 } = new MessageChannel();
  const run = () => {
    port1.close();
    task();
  };
  port1.addEventListener('message', run, { once: true });
  port1.start();
  port2.postMessage(undefined);
}

function gatherLater(build: BatchAssembler, indices: Int32Array): Promise<HostBatch> {
  return new Promise((resolve, reject) =>
    nextTurn(() => {
      try {
        resolve(build.gather(indices));
      } catch (error) {
        reject(error);
      }
    }),
  );
}

/** Like iterateBatches, as an async iterator that can prefetch the next batch's host arrays. */
export async function* iterateBatchesAsync(
  table: FeatureTable,
  options: AsyncBatchOptions,
): AsyncGenerator<Batch> {
  const batches = plan(table, options);
  const build = assembler(table, options);
  const prefetch = options.prefetch ?? true;
  let next: Promise<HostBatch> | undefined;
  for (let k = 0; k < batches.length; k++) {
    const host = next !== undefined ? await next : build.gather(batches[k] as Int32Array);
    const following = batches[k + 1];
    next = prefetch && following !== undefined ? gatherLater(build, following) : undefined;
    // A prefetch that fails is reported by the await above; never leave it unobserved.
    next?.catch(() => undefined);
    yield build.toBatch(host);
  }
}
