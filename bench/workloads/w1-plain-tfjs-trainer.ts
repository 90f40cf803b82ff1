/**
 * W1 "ours" before the mmae trainer exists: the standard autoencoder written directly in tfjs,
 * a custom loop of tf.variableGrads + Adam. The levers (fused dense, no per-step sync, batches
 * prepared ahead) are switches so BENCHMARKS.md can report each before/after.
 */
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { FlatAdam } from './flat-adam.js';
import {
  applyEngine,
  applyKernelPatches,
  fusedAdamPatch,
  nativeKernelStatus,
  untransposedMatMulPatches,
} from '../../src/engine/index.js';
import { applyNativeThreads } from '../../src/backend/native-threads.js';
import { FusedAdamOptimizer } from '../../src/train/fused-adam-optimizer.js';
import { buildLayers, evaluateMse, forward } from './w1-model.js';
import type { W1Data, W1Levers, W1Options, W1Outcome } from './w1-types.js';

export interface GradientApplier {
  apply(grads: tf.NamedTensorMap): void;
  dispose(): void;
}

/**
 * tfjs's Adam; FlatAdam (one set of moment ops for all variables) with the flatAdam lever; mmae's
 * FusedAdamOptimizer (one kernel for all variables) with the fusedAdam lever.
 */
export function makeAdam(vars: tf.Variable[], levers: W1Levers): GradientApplier {
  if (levers.flatAdam) {
    const flat = new FlatAdam(vars, 1e-3);
    return {
      apply: (grads) => flat.apply(vars.map((v) => grads[v.name] as tf.Tensor)),
      dispose: () => flat.dispose(),
    };
  }
  const optimizer: tf.Optimizer = levers.fusedAdam
    ? new FusedAdamOptimizer(1e-3)
    : tf.train.adam(1e-3);
  return { apply: (grads) => optimizer.applyGradients(grads), dispose: () => optimizer.dispose() };
}

/** Copies the rows `order[start..end)` of the training set into `out`. */
function gatherRows(
  data: W1Data,
  order: Int32Array,
  start: number,
  end: number,
  out: Float32Array,
): void {
  const { size } = data.train;
  for (let r = start; r < end; r++) {
    const src = (order[r] as number) * size;
    out.set(data.train.pixels.subarray(src, src + size), (r - start) * size);
  }
}

/** The wasm patches the levers ask for (process-wide, irreversible). */
export function applyLeverPatches(levers: W1Levers): void {
  if (tf.getBackend() !== 'wasm') return;
  if (levers.kernelPatch) applyKernelPatches(untransposedMatMulPatches());
  // FusedAdamOptimizer runs its one kernel only where it is registered.
  if (levers.fusedAdam) applyKernelPatches([fusedAdamPatch]);
  if (levers.nativeKernels) {
    // Everything selectBackend('wasm') applies (src/engine/apply-engine.ts): the native
    // kernels, the shared Identity, the reduction gradients.
    if (nativeKernelStatus().loaded === false) {
      throw new Error(`native kernels: ${nativeKernelStatus().note}`);
    }
    applyEngine('wasm');
    // And the native thread count selectBackend sets: MMAE_THREADS, else every core.
    applyNativeThreads();
  }
}

export async function trainWithPlainTfjs(data: W1Data, options: W1Options): Promise<W1Outcome> {
  const { batchSize, levers } = options;
  applyLeverPatches(levers);
  const rng = new SeededRandom(options.seed);
  const layers = buildLayers(options.seed);
  const vars = layers.flatMap((l) => [l.w, l.b]);
  const optimizer = makeAdam(vars, levers);
  const { count, size } = data.train;
  const epochSeconds: number[] = [];
  const epochCpuSeconds: number[] = [];
  let lastLoss = Number.NaN;
  const batchBuffer = new Float32Array(batchSize * size);
  // One buffer for every epoch's shuffled copy, allocated (and its pages touched) with the data:
  // a fresh 188 MB array per epoch cost ~0.3 CPU s of page faults and GC inside each epoch.
  const epochBuffer = levers.prefetch ? new Float32Array(count * size).fill(0) : undefined;

  for (let epoch = 0; epoch < options.epochs; epoch++) {
    const start = performance.now();
    const cpuStart = process.cpuUsage();
    const order = rng.permutation(count);
    // Lever "prefetch": shuffle the whole epoch into one buffer up front; a batch is then a view.
    let shuffled: Float32Array | undefined;
    if (epochBuffer) {
      shuffled = epochBuffer;
      gatherRows(data, order, 0, count, shuffled);
    }
    let lossTensor: tf.Scalar | undefined;
    for (let from = 0; from < count; from += batchSize) {
      const to = Math.min(count, from + batchSize);
      let rows: Float32Array;
      if (shuffled) rows = shuffled.subarray(from * size, to * size);
      else {
        gatherRows(data, order, from, to, batchBuffer);
        rows = batchBuffer.subarray(0, (to - from) * size);
      }
      const x = tf.tensor2d(rows, [to - from, size]);
      const { value, grads } = tf.variableGrads(
        () => tf.losses.meanSquaredError(x, forward(layers, x, levers)) as tf.Scalar,
        vars,
      );
      optimizer.apply(grads);
      tf.dispose(grads);
      x.dispose();
      lossTensor?.dispose();
      lossTensor = value;
      if (levers.syncEachStep) lastLoss = value.dataSync()[0] as number;
    }
    if (lossTensor) {
      lastLoss = lossTensor.dataSync()[0] as number;
      lossTensor.dispose();
    }
    epochSeconds.push((performance.now() - start) / 1000);
    const cpu = process.cpuUsage(cpuStart);
    epochCpuSeconds.push((cpu.user + cpu.system) / 1e6);
  }

  const testMse = evaluateMse(layers, data.test, levers);
  tf.dispose(vars);
  optimizer.dispose();
  return { epochSeconds, epochCpuSeconds, testMse, lastTrainLoss: lastLoss };
}

/** One training step on a fixed batch, for profiling (w1-profile.ts). */
export function makeProfileStep(
  seed: number,
  levers: W1Levers,
): { step: (x: tf.Tensor2D) => void; dispose: () => void } {
  applyLeverPatches(levers);
  const layers = buildLayers(seed);
  const vars = layers.flatMap((l) => [l.w, l.b]);
  const optimizer = makeAdam(vars, levers);
  return {
    step: (x) => {
      const { value, grads } = tf.variableGrads(
        () => tf.losses.meanSquaredError(x, forward(layers, x, levers)) as tf.Scalar,
        vars,
      );
      optimizer.apply(grads);
      tf.dispose(grads);
      value.dispose();
    },
    dispose: () => {
      tf.dispose(vars);
      optimizer.dispose();
    },
  };
}
