/**
 * MmaeTokenNll and MmaeTokenNllGrad: the text decoder's softmax cross-entropy against token ids,
 * summed per sample over non-pad positions, as one native call each way. Composed from tfjs ops it
 * is ~14 kernels (oneHot, logSoftmax's max/exp/sum/log, mul, sum, notEqual, cast, …) and their
 * gradients, Exp at ~5 ns per element on wasm. Registered only when the native kernels are built;
 * src/ops/token-nll.ts uses them when present.
 */
import * as tf from '@tensorflow/tfjs';
import { TOKEN_NLL_GRAD_KERNEL, TOKEN_NLL_KERNEL, type TokenNllAttrs } from '../../ops/kernels.js';
import type { NativeKernels } from '../native/native-kernels.js';
import { nativeKernelPatches } from './native-kernel-patches.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

/** The heap and the logits' [rows, positions, vocab] of a call, after its output is allocated. */
function geometry(logits: tf.TensorInfo, backend: unknown, attrs: tf.NamedAttrMap | undefined) {
  const [rows, positions, vocab] = logits.shape as [number, number, number];
  const { pad } = attrs as unknown as TokenNllAttrs;
  return { heap: wasmHeap(backend), rows, positions, vocab, pad };
}

function forward(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { logits, ids } = inputs as Record<'logits' | 'ids', tf.TensorInfo>;
    const out = (backend as unknown as WasmKernelBackend).makeOutput([logits.shape[0]!], 'float32');
    const { heap, rows, positions, vocab, pad } = geometry(logits, backend, attrs);
    const at = heap.offset;
    kernels.tokenNll(heap.buffer, at(logits), at(ids), at(out), rows, positions, vocab, pad);
    return out;
  };
}

function backward(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { logits, ids, dy } = inputs as Record<'logits' | 'ids' | 'dy', tf.TensorInfo>;
    const out = (backend as unknown as WasmKernelBackend).makeOutput([...logits.shape], 'float32');
    const { heap, rows, positions, vocab, pad } = geometry(logits, backend, attrs);
    const at = heap.offset;
    kernels.tokenNllGrad(
      heap.buffer,
      at(logits),
      at(ids),
      at(dy),
      at(out),
      rows,
      positions,
      vocab,
      pad,
    );
    return out;
  };
}

/** The two kernel records, or none when the native kernels are off or not built. */
export const tokenNllPatches = nativeKernelPatches(
  (kernels) => ({
    [TOKEN_NLL_KERNEL]: forward(kernels),
    [TOKEN_NLL_GRAD_KERNEL]: backward(kernels),
  }),
  'token softmax cross-entropy in one call, instead of ~14 kernels (used by the text plugin’s ' +
    'reconstruction loss).',
);
