/** What the cpu kernel patches need from tfjs's MathBackendCPU. */
import type * as tf from '@tensorflow/tfjs';

export interface CpuBackendLike {
  makeTensorInfo(
    shape: number[],
    dtype: tf.DataType,
    values?: tf.backend_util.BackendValues,
  ): tf.TensorInfo;
  readSync(dataId: tf.DataId): tf.backend_util.BackendValues;
}

/** Named inputs of a kernel call, checked present (tfjs passes them as a loose map). */
export function kernelInputs<K extends string>(
  inputs: tf.NamedTensorInfoMap,
  names: readonly K[],
  kernelName: string,
): Record<K, tf.TensorInfo> {
  const out = {} as Record<K, tf.TensorInfo>;
  for (const name of names) {
    const input = inputs[name];
    if (input === undefined) throw new TypeError(`${kernelName}: input '${name}' is missing`);
    out[name] = input;
  }
  return out;
}
