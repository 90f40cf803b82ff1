/**
 * MmaeBernoulliNll and its gradient MmaeBernoulliNllGrad: the Bernoulli negative log-likelihood
 * of an image decoder's logits, summed per sample, as one native call each way. Composed from
 * tfjs ops it is ~8 kernels forward and ~17 backward over every pixel, Exp and Log1p among them
 * at ~4–5 ns per element on wasm: ~9 ms of each 43 ms step of the W2 image-text VAE. Registered
 * only when the native kernels are built; src/ops/bernoulli-nll.ts uses them when present.
 */
import * as tf from '@tensorflow/tfjs';
import { BERNOULLI_NLL_GRAD_KERNEL, BERNOULLI_NLL_KERNEL } from '../../ops/kernels.js';
import type { NativeKernels } from '../native/native-kernels.js';
import { nativeKernelPatches } from './native-kernel-patches.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

/** [rows, cols] of a [rows, …] tensor. */
function rowsAndCols(t: tf.TensorInfo): [number, number] {
  const rows = t.shape[0] ?? 1;
  return [rows, rows === 0 ? 0 : tf.util.sizeFromShape(t.shape) / rows];
}

function forward(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const { x, z } = inputs as Record<'x' | 'z', tf.TensorInfo>;
    const wasm = backend as unknown as WasmKernelBackend;
    const [rows, cols] = rowsAndCols(x);
    const out = wasm.makeOutput([rows], 'float32');
    const heap = wasmHeap(backend);
    kernels.bernoulliNll(heap.buffer, heap.offset(x), heap.offset(z), heap.offset(out), rows, cols);
    return out;
  };
}

function backward(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend }) => {
    const { x, z, dy } = inputs as Record<'x' | 'z' | 'dy', tf.TensorInfo>;
    const wasm = backend as unknown as WasmKernelBackend;
    const [rows, cols] = rowsAndCols(x);
    // Allocate both outputs before reading the heap: a malloc may grow (and move) it.
    const outputs = [
      wasm.makeOutput([...x.shape], 'float32'),
      wasm.makeOutput([...z.shape], 'float32'),
    ];
    const [dx, dz] = outputs as [tf.TensorInfo, tf.TensorInfo];
    const heap = wasmHeap(backend);
    kernels.bernoulliNllGrad(
      heap.buffer,
      heap.offset(x),
      heap.offset(z),
      heap.offset(dy),
      heap.offset(dx),
      heap.offset(dz),
      rows,
      cols,
    );
    return outputs;
  };
}

/** The two kernel records, or none when the native kernels are off or not built. */
export const bernoulliNllPatches = nativeKernelPatches(
  (kernels) => ({
    [BERNOULLI_NLL_KERNEL]: forward(kernels),
    [BERNOULLI_NLL_GRAD_KERNEL]: backward(kernels),
  }),
  'the Bernoulli NLL of image logits in one call, instead of ~25 elementwise kernels (used by ' +
    'the image plugin’s bernoulli likelihood).',
);
