/**
 * A "borrow the cpu kernel" adapter: a kernel for the wasm backend that copies its inputs out
 * of the wasm heap, runs the pure-JS cpu kernel of the same name on them, and copies the results
 * back into wasm outputs. It trades a copy for coverage: every kernel tfjs-backend-cpu has becomes
 * usable on wasm, with the cpu kernel's exact semantics, without writing the maths again.
 */
import * as tf from '@tensorflow/tfjs';
import { BackendError } from '../../errors/errors.js';

type BackendValues = tf.backend_util.BackendValues;

/**
 * The tfjs cpu backend greets its first use in Node with advice to install tfjs-node. When mmae
 * uses cpu only as a helper (borrowed kernels here, the backend's kernel listing) that greeting
 * misleads a user who chose wasm; `mmae doctor` gives the same advice where it belongs.
 */
export function silenceCpuGreeting(): void {
  const backend = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null;
  if (backend !== null && backend.firstUse === true) backend.firstUse = false;
}

/** What the adapter needs from the cpu backend (MathBackendCPU). */
interface CpuBackendLike {
  makeTensorInfo(shape: number[], dtype: tf.DataType, values?: BackendValues): tf.TensorInfo;
  readSync(dataId: tf.DataId): BackendValues;
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
}

/** What the adapter needs from the wasm backend (BackendWasm). */
interface WasmBackendLike {
  readSync(dataId: tf.DataId): BackendValues;
  makeOutput(
    shape: number[],
    dtype: tf.DataType,
    memoryOffset?: number,
    values?: BackendValues,
  ): tf.TensorInfo;
}

function hasMethods(value: unknown, names: readonly string[]): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return names.every((name) => typeof record[name] === 'function');
}

function cpuBackend(kernelName: string): CpuBackendLike {
  const backend: unknown = tf.findBackend('cpu');
  if (!hasMethods(backend, ['makeTensorInfo', 'readSync', 'disposeData'])) {
    throw new BackendError(
      `The wasm fallback for kernel '${kernelName}' needs the 'cpu' backend of @tensorflow/tfjs, ` +
        'which is not registered in this process; import @tensorflow/tfjs (not tfjs-core alone).',
    );
  }
  silenceCpuGreeting();
  return backend as CpuBackendLike;
}

function wasmBackend(backend: unknown, kernelName: string): WasmBackendLike {
  if (!hasMethods(backend, ['readSync', 'makeOutput'])) {
    throw new BackendError(
      `The wasm fallback for kernel '${kernelName}' was called with a backend that is not ` +
        'tfjs-backend-wasm; register it only for backendName "wasm".',
    );
  }
  return backend as WasmBackendLike;
}

function sizeOf(shape: readonly number[]): number {
  return shape.reduce((product, dim) => product * dim, 1);
}

/** Runs the cpu kernel `kernelName` on values held by the wasm backend; returns wasm outputs. */
function runOnCpu(
  kernelName: string,
  params: Parameters<tf.KernelFunc>[0],
): tf.TensorInfo | tf.TensorInfo[] {
  const cpuKernel = tf.getKernel(kernelName, 'cpu');
  if (cpuKernel === undefined) {
    throw new BackendError(
      `Kernel '${kernelName}' has no cpu implementation to borrow for the wasm backend; ` +
        'run this model with --backend cpu, or use an op that tfjs-backend-wasm supports.',
    );
  }
  const cpu = cpuBackend(kernelName);
  const wasm = wasmBackend(params.backend, kernelName);

  // Some kernels (Einsum, AddN, Concat) take their inputs as an array, not a named map.
  const cpuInputs = (Array.isArray(params.inputs) ? [] : {}) as Record<string, tf.TensorInfo>;
  const created: tf.TensorInfo[] = [];
  try {
    for (const [name, input] of Object.entries(params.inputs)) {
      if (input === undefined || input === null) continue;
      const copy = cpu.makeTensorInfo(input.shape, input.dtype, wasm.readSync(input.dataId));
      created.push(copy);
      // The engine hands kernels whole Tensors, and some cpu kernels (Dilation2D's gradients)
      // read `rank` or `size`, which a bare TensorInfo lacks.
      cpuInputs[name] = {
        ...copy,
        rank: input.shape.length,
        size: sizeOf(input.shape),
      } as tf.TensorInfo;
    }
    const result = cpuKernel.kernelFunc({ inputs: cpuInputs, backend: cpu, attrs: params.attrs });
    const cpuOutputs = Array.isArray(result) ? result : [result];
    created.push(...cpuOutputs);
    const wasmOutputs = cpuOutputs.map((out) =>
      wasm.makeOutput(out.shape, out.dtype, undefined, cpu.readSync(out.dataId)),
    );
    return Array.isArray(result) ? wasmOutputs : (wasmOutputs[0] as tf.TensorInfo);
  } finally {
    // disposeData honours reference counts, so an output that aliases an input is freed once.
    for (const info of created) cpu.disposeData(info.dataId);
  }
}

/** A wasm kernel record that runs the cpu kernel of the same name. */
export function borrowCpuKernel(kernelName: string): tf.KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: (params) => runOnCpu(kernelName, params),
  };
}
