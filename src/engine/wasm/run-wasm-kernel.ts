/**
 * Composes wasm kernels inside a wasm kernel, as tfjs backends do: call the registered kernel
 * function directly on TensorInfos (no engine, no tape) and free intermediates by dataId.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors/errors.js';

/** What composing kernels needs from tfjs-backend-wasm's BackendWasm. */
export interface WasmKernelBackend {
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
  disposeData(dataId: tf.DataId): boolean;
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  typedArrayFromHeap(info: tf.TensorInfo): tf.backend_util.TypedArray;
}

export function runWasmKernel(
  kernelName: string,
  inputs: Record<string, tf.TensorInfo>,
  attrs: Record<string, unknown>,
  backend: WasmKernelBackend,
): tf.TensorInfo {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new BackendError(
      `wasm kernel '${kernelName}' is not registered; import @tensorflow/tfjs-backend-wasm.`,
    );
  }
  return kernel.kernelFunc({ inputs, backend, attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
}
