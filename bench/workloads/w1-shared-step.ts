/**
 * What the W1 data-parallel workers share, and how they meet once per step: SharedArrayBuffers
 * for the training images, every epoch's batch order and the gradients, and a barrier on
 * Atomics (a futex wait, so a worker that arrives first sleeps instead of spinning on a core
 * another process may need).
 */
import type { W1Levers } from './w1-types.js';

/** Everything a worker gets at start (structured-cloned; the SharedArrayBuffers are shared). */
export interface SharedTrainingData {
  readonly workers: number;
  readonly epochs: number;
  readonly batchSize: number;
  readonly seed: number;
  /** The single-thread variant's levers each worker runs with (fused Adam, patched matMul…). */
  readonly levers: W1Levers;
  readonly count: number;
  readonly size: number;
  /** count × size float32 pixels in [0, 1]. */
  readonly pixels: SharedArrayBuffer;
  /** epochs × count int32: the shuffled row order of each epoch. */
  readonly order: SharedArrayBuffer;
  /** int32: the barrier's arrival count and generation, then the rows of each worker per step. */
  readonly control: SharedArrayBuffer;
  /** 2 (step parity) × workers × parameter count float32 gradients. */
  readonly gradients: SharedArrayBuffer;
  readonly parameterCount: number;
}

const ARRIVED = 0;
const GENERATION = 1;
const ROWS = 2;

export function controlBuffer(workers: number): SharedArrayBuffer {
  return new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT * (ROWS + 2 * workers));
}

/**
 * Blocks until all `parties` threads have called it. The last to arrive resets the count, bumps
 * the generation and wakes the others; Atomics orders the gradient writes before the wake-up.
 */
export function awaitBarrier(control: Int32Array, parties: number): void {
  const generation = Atomics.load(control, GENERATION);
  if (Atomics.add(control, ARRIVED, 1) === parties - 1) {
    Atomics.store(control, ARRIVED, 0);
    Atomics.add(control, GENERATION, 1);
    Atomics.notify(control, GENERATION);
    return;
  }
  while (Atomics.load(control, GENERATION) === generation)
    Atomics.wait(control, GENERATION, generation);
}

/**
 * The rows a worker computes and its gradient slot for one step. Slots alternate with the step's
 * parity: a worker may write step t+1 while another still reads step t, never step t+2 (that
 * needs the other past the barrier of step t+1).
 */
export class StepSlots {
  private readonly control: Int32Array;
  private readonly slots: Float32Array;

  constructor(
    private readonly shared: SharedTrainingData,
    private readonly worker: number,
  ) {
    this.control = new Int32Array(shared.control);
    this.slots = new Float32Array(shared.gradients);
  }

  /** This worker's share [from, to) of the batch [start, end): contiguous, nearly equal. */
  rowsOf(start: number, end: number): [number, number] {
    const chunk = Math.ceil((end - start) / this.shared.workers);
    const from = Math.min(end, start + this.worker * chunk);
    return [from, Math.min(end, from + chunk)];
  }

  /** Where this worker writes its gradients (parameterCount floats) for `step`. */
  mySlot(step: number): Float32Array {
    return this.slot(step, this.worker);
  }

  publishRows(step: number, rows: number): void {
    Atomics.store(this.control, ROWS + this.index(step, this.worker), rows);
  }

  arrive(): void {
    awaitBarrier(this.control, this.shared.workers);
  }

  /**
   * The batch-mean gradient of `step` into `out`: each worker's mean weighted by its rows, summed
   * in worker order, so every worker computes the same floats and the replicas stay equal.
   */
  averageInto(step: number, out: Float32Array): void {
    const rows = Array.from({ length: this.shared.workers }, (_, w) =>
      Atomics.load(this.control, ROWS + this.index(step, w)),
    );
    const total = rows.reduce((a, b) => a + b, 0);
    const weights = rows.map((n) => n / total);
    const slots = rows.map((_, w) => this.slot(step, w));
    if (slots.length === 2) {
      // One pass for the usual two workers: ~3× faster than the general loop below.
      const [a, b] = slots as [Float32Array, Float32Array];
      const [wa, wb] = weights as [number, number];
      for (let j = 0; j < out.length; j++) out[j] = wa * (a[j] as number) + wb * (b[j] as number);
      return;
    }
    out.fill(0);
    slots.forEach((slot, w) => {
      const weight = weights[w] as number;
      if (weight === 0) return;
      for (let j = 0; j < out.length; j++)
        out[j] = (out[j] as number) + weight * (slot[j] as number);
    });
  }

  private index(step: number, worker: number): number {
    return (step % 2) * this.shared.workers + worker;
  }

  private slot(step: number, worker: number): Float32Array {
    const n = this.shared.parameterCount;
    const offset = this.index(step, worker) * n;
    return this.slots.subarray(offset, offset + n);
  }
}
