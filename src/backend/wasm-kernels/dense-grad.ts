/**
 * MmaeDenseGrad: the backward pass of a dense layer y = act(x·W + b) as one kernel (mmae's
 * native denseGrad on the wasm heap). tfjs's own gradient of a fused matMul is ~8 kernels
 * (reshape, step, multiply, two matMuls, sum, reshape, …) at ~15–20 µs of dispatch each, about
 * as much as the products themselves on a small layer. Registered only when the native kernels
 * are built; src/ops/dense.ts uses it when it is there.
 */
import * as tf from '@tensorflow/tfjs';
import type { NativeKernels } from '../native/native-kernels.js';
import { nativeKernelPatches } from './native-kernel-patches.js';
import { NATIVE_ACTIVATIONS } from './native-matmul.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

export const DENSE_GRAD_KERNEL = 'MmaeDenseGrad';

export interface DenseGradAttrs {
  /** One of tf.fused.matMul's activations except prelu. */
  readonly activation: string;
  readonly leakyreluAlpha: number;
  /** False: dx is returned as zeros and not computed (x is data, not a parameter's output). */
  readonly inputGradient: boolean;
}

function denseGrad(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, w, y, dy } = inputs as Record<'x' | 'w' | 'y' | 'dy', tf.TensorInfo>;
    const a = attrs as unknown as DenseGradAttrs;
    const wasm = backend as unknown as WasmKernelBackend;
    const [batch, inSize] = x.shape as [number, number];
    const outSize = w.shape[1] as number;
    // Allocate every output before reading the heap: a malloc may grow (and move) it.
    const outputs = [x.shape, w.shape, [outSize]].map((shape) =>
      wasm.makeOutput([...shape], 'float32'),
    );
    const [dx, dw, db] = outputs as [tf.TensorInfo, tf.TensorInfo, tf.TensorInfo];
    const heap = wasmHeap(backend);
    kernels.denseGrad(
      heap.buffer,
      heap.offset(x),
      heap.offset(w),
      heap.offset(y),
      heap.offset(dy),
      heap.offset(dx),
      heap.offset(dw),
      heap.offset(db),
      batch,
      inSize,
      outSize,
      NATIVE_ACTIVATIONS[a.activation] ?? 0,
      a.leakyreluAlpha,
      a.inputGradient ? 1 : 0,
    );
    return outputs;
  };
}

/** The kernel record, or none when the native kernels are off or not built. */
export const denseGradPatches = nativeKernelPatches(
  (kernels) => ({ [DENSE_GRAD_KERNEL]: denseGrad(kernels) }),
  "a dense layer's whole backward pass in one call, instead of ~8 kernels in tfjs's fused " +
    "matMul gradient (used by mmae's dense op).",
);
