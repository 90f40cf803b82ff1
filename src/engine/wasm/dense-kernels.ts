/**
 * MmaeDense and MmaeDenseGrad: a dense layer y = act(x·W + b) as a kernel of its own, so that its
 * registered gradient (src/ops/dense.ts) can compute the weights' part and the input's part
 * separately, and the backward pass of each part as one native call. tfjs's own gradient of a
 * fused matMul is ~8 kernels (reshape, step, multiply, two matMuls, sum, reshape, …) at ~15–20 µs
 * of dispatch each, about as much as the products themselves on a small layer; and it always
 * computes dx, a third of the arithmetic of a first layer whose input is data. Registered only
 * when the native kernels are built; src/ops/dense.ts uses them when they are there.
 */
import * as tf from '@tensorflow/tfjs';
import {
  DENSE_GRAD_KERNEL,
  DENSE_KERNEL,
  type DenseAttrs,
  type DenseGradAttrs,
} from '../../ops/kernels.js';
import type { NativeKernels } from '../native/native-kernels.js';
import { nativeKernelPatches } from './native-kernel-patches.js';
import { NATIVE_ACTIVATIONS } from './native-matmul.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

/** Inputs x, w and optionally bias: the wasm backend's _FusedMatMul (the native product). */
function dense(): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, w, bias } = inputs as Record<'x' | 'w' | 'bias', tf.TensorInfo | undefined>;
    const { activation, leakyreluAlpha } = attrs as unknown as DenseAttrs;
    const fused = tf.getKernel('_FusedMatMul', 'wasm')!;
    return fused.kernelFunc({
      inputs: bias ? { a: x!, b: w!, bias } : { a: x!, b: w! },
      backend,
      attrs: { transposeA: false, transposeB: false, activation, leakyreluAlpha },
    });
  };
}

function denseGrad(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, w, y, dy } = inputs as Record<'x' | 'w' | 'y' | 'dy', tf.TensorInfo>;
    const a = attrs as unknown as DenseGradAttrs;
    const wasm = backend as unknown as WasmKernelBackend;
    const [batch, inSize] = x.shape as [number, number];
    const outSize = w.shape[1] as number;
    const input = a.parts === 'input';
    const weights = a.parts === 'weights';
    // Allocate every output before reading the heap: a malloc may grow (and move) it.
    const dx = input ? wasm.makeOutput([...x.shape], 'float32') : undefined;
    const dw = weights ? wasm.makeOutput([...w.shape], 'float32') : undefined;
    const db = weights ? wasm.makeOutput([outSize], 'float32') : undefined;
    const heap = wasmHeap(backend);
    const at = (t: tf.TensorInfo | undefined) => (t ? heap.offset(t) : -1);
    kernels.denseGrad(
      heap.buffer,
      at(x),
      at(w),
      at(y),
      at(dy),
      at(dx),
      at(dw),
      at(db),
      batch,
      inSize,
      outSize,
      NATIVE_ACTIVATIONS[a.activation] ?? 0,
      a.leakyreluAlpha,
    );
    return [dx, dw, db].filter((t): t is tf.TensorInfo => t !== undefined);
  };
}

/** The kernel records, or none when the native kernels are off or not built. */
export const denseKernelPatches = nativeKernelPatches(
  (kernels) => ({ [DENSE_KERNEL]: dense(), [DENSE_GRAD_KERNEL]: denseGrad(kernels) }),
  'a dense layer in one call, and backward one for its weights and one for its input (only ' +
    "when something asks for it), instead of ~8 kernels in tfjs's fused matMul gradient (used " +
    "by mmae's dense op).",
);
