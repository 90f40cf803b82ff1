/**
 * One W1 data-parallel worker: its own wasm backend and its own copy of the model. Per step it
 * computes the gradient of its share of the batch, publishes it in shared memory, waits at the
 * barrier, averages every worker's gradients (the same floats in every worker) and applies the
 * same Adam update as the others, so the replicas never drift apart and no weights are sent.
 *
 * Messages to the parent: {type: 'ready'}, {type: 'epochDone', epoch}, then {type: 'trained',
 * weights, lastLoss, testMse?}; it waits for {type: 'start'} after 'ready'.
 */
import { once } from 'node:events';
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { WasmKernelBackend } from '../../src/engine/wasm/run-wasm-kernel.js';
import { readMnistImages } from './mnist-idx.js';
import { buildLayers, evaluateMse, forward, type Dense } from './w1-model.js';
import { applyLeverPatches, makeAdam } from './w1-plain-tfjs-trainer.js';
import { StepSlots, type SharedTrainingData } from './w1-shared-step.js';

export interface WorkerStart {
  readonly shared: SharedTrainingData;
  readonly worker: number;
  /** This file's URL, imported by the bootstrap that registers tsx first. */
  readonly url: string;
}

export type WorkerMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'epochDone'; readonly epoch: number }
  | {
      readonly type: 'trained';
      readonly weights: Float32Array;
      readonly lastLoss: number;
      readonly testMse?: number;
      readonly phases: StepPhases;
    };

/** Wall milliseconds per step spent in each phase, averaged over the run (where the time goes). */
export interface StepPhases {
  /** Forward and backward pass on this worker's rows. */
  gradient: number;
  /** Gradients copied from the wasm heap into the shared slot. */
  publish: number;
  /** Waiting at the barrier for the other workers. */
  barrier: number;
  /** Averaging the workers' gradients and uploading them as tensors. */
  average: number;
  /** The Adam update. */
  update: number;
}

/** Copies a gradient out of the wasm heap without the intermediate buffer of dataSync. */
function copyInto(tensor: tf.Tensor, out: Float32Array, offset: number): void {
  const values =
    tf.getBackend() === 'wasm'
      ? (tf.backend() as unknown as WasmKernelBackend).typedArrayFromHeap(tensor)
      : tensor.dataSync();
  out.set(values as Float32Array, offset);
}

function flatWeights(vars: readonly tf.Variable[]): Float32Array {
  const out = new Float32Array(vars.reduce((n, v) => n + v.size, 0));
  let offset = 0;
  for (const v of vars) {
    copyInto(v, out, offset);
    offset += v.size;
  }
  return out;
}

async function run({ shared, worker }: WorkerStart): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('w1-data-parallel-worker.ts runs as a worker thread only');
  await tf.setBackend('wasm');
  await tf.ready();
  const { levers, count, size, batchSize } = shared;
  applyLeverPatches(levers);
  const layers: Dense[] = buildLayers(shared.seed);
  const vars = layers.flatMap((l) => [l.w, l.b]);
  const optimizer = makeAdam(vars, levers);
  const pixels = new Float32Array(shared.pixels);
  const order = new Int32Array(shared.order);
  const slots = new StepSlots(shared, worker);
  const rows = new Float32Array(Math.ceil(batchSize / shared.workers) * size);
  const averaged = new Float32Array(shared.parameterCount);
  let lastLoss: tf.Scalar | undefined;
  const phases: StepPhases = { gradient: 0, publish: 0, barrier: 0, average: 0, update: 0 };
  let clock = performance.now();
  const lap = (phase: keyof StepPhases): void => {
    const now = performance.now();
    phases[phase] += now - clock;
    clock = now;
  };

  port.postMessage({ type: 'ready' } satisfies WorkerMessage);
  await once(port, 'message');
  let step = 0;
  for (let epoch = 0; epoch < shared.epochs; epoch++) {
    const epochOrder = order.subarray(epoch * count, (epoch + 1) * count);
    for (let start = 0; start < count; start += batchSize, step++) {
      const [from, to] = slots.rowsOf(start, Math.min(count, start + batchSize));
      clock = performance.now();
      if (to > from) {
        for (let r = from; r < to; r++) {
          const src = (epochOrder[r] as number) * size;
          rows.set(pixels.subarray(src, src + size), (r - from) * size);
        }
        const x = tf.tensor2d(rows.subarray(0, (to - from) * size), [to - from, size]);
        const { value, grads } = tf.variableGrads(
          () => tf.losses.meanSquaredError(x, forward(layers, x, levers)) as tf.Scalar,
          vars,
        );
        lap('gradient');
        const slot = slots.mySlot(step);
        let offset = 0;
        for (const v of vars) {
          copyInto(grads[v.name] as tf.Tensor, slot, offset);
          offset += v.size;
        }
        tf.dispose([x, grads, lastLoss]);
        lastLoss = value;
      }
      slots.publishRows(step, to - from);
      lap('publish');
      slots.arrive();
      lap('barrier');
      slots.averageInto(step, averaged);
      const named: tf.NamedTensorMap = {};
      let offset = 0;
      for (const v of vars) {
        named[v.name] = tf.tensor(averaged.subarray(offset, offset + v.size), v.shape);
        offset += v.size;
      }
      lap('average');
      optimizer.apply(named);
      tf.dispose(named);
      lap('update');
    }
    port.postMessage({ type: 'epochDone', epoch } satisfies WorkerMessage);
  }

  for (const phase of Object.keys(phases) as (keyof StepPhases)[]) phases[phase] /= step;
  const weights = flatWeights(vars);
  const loss = lastLoss ? (lastLoss.dataSync()[0] as number) : Number.NaN;
  // Every replica holds the same weights; the first one evaluates.
  const testMse = worker === 0 ? evaluateMse(layers, readMnistImages('t10k'), levers) : undefined;
  tf.dispose([...vars, lastLoss]);
  optimizer.dispose();
  const done: WorkerMessage = {
    type: 'trained',
    weights,
    lastLoss: loss,
    phases,
    ...(testMse === undefined ? {} : { testMse }),
  };
  port.postMessage(done, [weights.buffer as ArrayBuffer]);
}

await run(workerData as WorkerStart);
