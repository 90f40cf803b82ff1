/**
 * MmaePoeSample and MmaePoeSampleGrad: products of diagonal-Gaussian experts over subsets of the
 * experts, one reparameterised sample and the KL to N(0, I) per subset, as one native call each
 * way (poe-sample.cc). Composed from tfjs ops (src/distributions/gaussian.ts) it is ~30 kernels
 * per subset forward and ~50 backward on [b, latent] tensors, all dispatch and no arithmetic:
 * MVAE's three posteriors were ~270 of the ~480 kernels of a W2 step. Registered only when the
 * native kernels are built; src/ops/poe-sample.ts uses them when present; their names and
 * attributes are in src/ops/kernels.ts.
 *
 * Inputs are an array (tfjs's convention for kernels with a variable number of inputs, as AddN):
 * params…, present… (one per expert), eps… and, backward, dz…, dkl… (one per subset).
 */
import * as tf from '@tensorflow/tfjs';
import {
  POE_SAMPLE_GRAD_KERNEL,
  POE_SAMPLE_KERNEL,
  type PoeSampleAttrs,
} from '../../ops/kernels.js';
import type { NativeKernels } from '../native/native-kernels.js';
import { nativeKernelPatches } from './native-kernel-patches.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

/** Inputs of the forward kernel per expert (params, present) and per subset (eps). */
const FORWARD_INPUTS = { perExpert: 2, perSubset: 1 };

/** The leading numbers of both calls: rows, latent, experts, subsets, withPrior, member table. */
function header(params: tf.TensorInfo, a: PoeSampleAttrs): number[] {
  const [rows, twiceLatent] = params.shape as [number, number];
  return [rows, twiceLatent / 2, a.experts, a.subsets, a.withPrior ? 1 : 0, ...a.member];
}

function run(
  kernels: NativeKernels,
  call: 'poeSample' | 'poeSampleGrad',
  inputCount: (a: PoeSampleAttrs) => number,
  outputShapes: (params: tf.TensorInfo, a: PoeSampleAttrs) => number[][],
): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as PoeSampleAttrs;
    const list = inputs as unknown as tf.TensorInfo[];
    const count = inputCount(a);
    if (list.length !== count) {
      throw new RangeError(
        `${call}: expected ${count} inputs for ${a.experts} experts and ${a.subsets} subsets, got ${list.length}`,
      );
    }
    const wasm = backend as unknown as WasmKernelBackend;
    // Allocate every output before reading the heap: a malloc may grow (and move) it.
    const outputs = outputShapes(list[0]!, a).map((shape) => wasm.makeOutput(shape, 'float32'));
    const heap = wasmHeap(backend);
    const offsets = [...list, ...outputs].map(heap.offset);
    kernels[call](heap.buffer, ...header(list[0]!, a), ...offsets);
    return outputs;
  };
}

const forwardInputs = (a: PoeSampleAttrs) =>
  FORWARD_INPUTS.perExpert * a.experts + FORWARD_INPUTS.perSubset * a.subsets;

/** The two kernel records, or none when the native kernels are off or not built. */
export const poeSamplePatches = nativeKernelPatches(
  (kernels) => ({
    [POE_SAMPLE_KERNEL]: run(kernels, 'poeSample', forwardInputs, (params, a) => {
      const [rows, twiceLatent] = params.shape as [number, number];
      const z = Array.from({ length: a.subsets }, () => [rows, twiceLatent / 2]);
      return [...z, ...z.map(() => [rows])];
    }),
    // Backward inputs: the forward's, then dz… and dkl…; outputs: one gradient per expert.
    [POE_SAMPLE_GRAD_KERNEL]: run(
      kernels,
      'poeSampleGrad',
      (a) => forwardInputs(a) + 2 * a.subsets,
      (params, a) => Array.from({ length: a.experts }, () => [...params.shape]),
    ),
  }),
  'products of Gaussian experts over subsets, a sample and its KL in one call, instead of ~80 ' +
    'kernels per subset (used by the poe and mopoe objectives).',
);
