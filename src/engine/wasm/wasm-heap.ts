/**
 * Where tensors live in tfjs-backend-wasm's memory, for the native kernels: the heap's buffer and
 * each tensor's byte offset, read from the backend's own records instead of making a typed-array
 * view per tensor per call (garbage the collector then chases on V8's helper threads).
 */
import type * as tf from '@tensorflow/tfjs';

interface WasmBackendInternals {
  readonly dataIdMap: { get(dataId: tf.DataId): { memoryOffset: number } | undefined };
  readonly wasm: { readonly HEAPU8: Uint8Array };
}

export interface WasmHeap {
  /** The heap as it is now: take it after every allocation of the call (the heap may grow). */
  readonly buffer: ArrayBufferLike;
  offset(t: tf.TensorInfo): number;
}

export function wasmHeap(backend: unknown): WasmHeap {
  const internals = backend as WasmBackendInternals;
  return {
    buffer: internals.wasm.HEAPU8.buffer,
    offset: (t) => {
      const data = internals.dataIdMap.get(t.dataId);
      if (data === undefined)
        throw new RangeError('a tensor of this kernel is not on the wasm heap');
      return data.memoryOffset;
    },
  };
}
