/**
 * Compute backends: selection (tfjs-node-gpu > tfjs-node > wasm > cpu), the kernels mmae adds to
 * wasm so that training runs there, and the diagnosis behind `mmae doctor`. Importing this module
 * registers the wasm fallback kernels (idempotently), so any model built after it can train on wasm.
 */
import { registerWasmFallbackKernels } from './wasm-kernels/register-wasm-kernels.js';

registerWasmFallbackKernels();

export {
  BACKEND_REQUESTS,
  isBackendRequest,
  parseBackendRequest,
  type BackendName,
  type BackendRequest,
} from './backend-request.js';
export { BACKEND_CANDIDATES, type BackendCandidate } from './backend-candidates.js';
export {
  describeProbe,
  probePackage,
  type PackageProbe,
  type ProbePackage,
} from './probe-package.js';
export {
  currentBackendSelection,
  selectBackend,
  type BackendSelection,
  type SelectBackendOptions,
} from './select-backend.js';
export {
  registerWasmFallbackKernels,
  wasmFallbackKernelNames,
  WASM_FALLBACK_KERNELS,
} from './wasm-kernels/register-wasm-kernels.js';
export { borrowCpuKernel } from './wasm-kernels/borrow-cpu-kernel.js';
export {
  requestWasmThreads,
  wasmThreading,
  type WasmThreadControls,
  type WasmThreading,
} from './wasm-threads.js';
export {
  kernelsMissingOn,
  kernelsUsedBy,
  missingKernels,
  type KernelProbeStep,
} from './missing-kernels.js';
export { buildTrainingProbe, type TrainingProbe } from './training-probe.js';
export {
  doctorReport,
  formatDoctorReport,
  type DoctorOptions,
  type DoctorReport,
} from './doctor.js';
