/**
 * Compute backends: selection (tfjs-node-gpu > tfjs-node > wasm > cpu), the kernel patches that
 * make training run, and run correctly, on wasm and cpu, and the diagnosis behind `mmae doctor`.
 * Importing this module applies the kernel patches (idempotently), so any model built after it
 * trains on wasm.
 */
import { registerKernelPatches } from './register-kernel-patches.js';

registerKernelPatches();

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
  applyKernelPatches,
  appliedKernelPatches,
  type AppliedKernelPatch,
  type KernelPatch,
} from './kernel-patch.js';
export { registerKernelPatches } from './register-kernel-patches.js';
export {
  registerWasmKernelPatches,
  WASM_KERNEL_PATCHES,
} from './wasm-kernels/register-wasm-kernels.js';
export {
  CPU_KERNEL_PATCHES,
  registerCpuKernelPatches,
} from './cpu-kernels/register-cpu-kernels.js';
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
