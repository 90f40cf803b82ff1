/**
 * MmaeTokenNll and MmaeTokenNllGrad: the text decoder's softmax cross-entropy against token ids,
 * summed per sample over non-pad positions, as one native call each way. Composed from tfjs ops it
 * is ~14 kernels (oneHot, logSoftmax's max/exp/sum/log, mul, sum, notEqual, cast, …) and their
 * gradients, Exp at ~5 ns per element on wasm. Registered only when the native kernels are built;
 * src/ops/token-nll.ts uses them when present.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { nativeKernels, type NativeKernels } from '../native/native-kernels.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

export const TOKEN_NLL_KERNEL = 'MmaeTokenNll';
export const TOKEN_NLL_GRAD_KERNEL = 'MmaeTokenNllGrad';

export interface TokenNllAttrs {
  /** The id whose positions count for nothing. */
  readonly pad: number;
}

function forward(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { logits, ids } = inputs as Record<'logits' | 'ids', tf.TensorInfo>;
    const wasm = backend as unknown as WasmKernelBackend;
    const [rows, positions, vocab] = logits.shape as [number, number, number];
    const out = wasm.makeOutput([rows], 'float32');
    const heap = wasmHeap(backend);
    const { pad } = attrs as unknown as TokenNllAttrs;
    kernels.tokenNll(
      heap.buffer,
      heap.offset(logits),
      heap.offset(ids),
      heap.offset(out),
      rows,
      positions,
      vocab,
      pad,
    );
    return out;
  };
}

function backward(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { logits, ids, dy } = inputs as Record<'logits' | 'ids' | 'dy', tf.TensorInfo>;
    const wasm = backend as unknown as WasmKernelBackend;
    const [rows, positions, vocab] = logits.shape as [number, number, number];
    const out = wasm.makeOutput([...logits.shape], 'float32');
    const heap = wasmHeap(backend);
    const { pad } = attrs as unknown as TokenNllAttrs;
    kernels.tokenNllGrad(
      heap.buffer,
      heap.offset(logits),
      heap.offset(ids),
      heap.offset(dy),
      heap.offset(out),
      rows,
      positions,
      vocab,
      pad,
    );
    return out;
  };
}

let patches: KernelPatch[] | undefined;

/** The two kernel records, or none when the native kernels are off or not built. */
export function tokenNllPatches(): KernelPatch[] {
  const kernels = nativeKernels();
  if (!kernels) return [];
  const why =
    `mmae native kernel (${kernels.isa()}): token softmax cross-entropy in one call, instead ` +
    'of ~14 kernels (used by the text plugin’s reconstruction loss).';
  patches ??= [
    { kernelName: TOKEN_NLL_KERNEL, kernelFunc: forward(kernels) },
    { kernelName: TOKEN_NLL_GRAD_KERNEL, kernelFunc: backward(kernels) },
  ].map(({ kernelName, kernelFunc }) => ({
    config: { kernelName, backendName: 'wasm', kernelFunc },
    kind: 'missing' as const,
    why,
  }));
  return patches;
}
