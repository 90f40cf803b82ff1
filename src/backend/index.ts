/**
 * Compute backends: selection (tfjs-node-gpu > tfjs-node where auto-rule.ts's measurements take
 * it for the model > wasm > cpu), which also applies the
 * speed engine's patches for the backend it starts (src/engine), and the diagnosis behind
 * `mmae doctor`. Importing this module changes nothing in tfjs: a backend is chosen, and patched,
 * only by calling selectBackend, as trainJob, evalJob, loadRun, the CLI and bench/ do.
 */

export {
  BACKEND_REQUESTS,
  isBackendRequest,
  parseBackendRequest,
  type BackendName,
  type BackendRequest,
} from '../config/backend-request.js';
export {
  TENSORFLOW_CPU_RULE,
  tensorflowCpuVerdict,
  type AutoRuleRow,
  type AutoVerdict,
  type ModelKind,
} from './auto-rule.js';
export { BACKEND_CANDIDATES, type BackendCandidate } from './backend-candidates.js';
export {
  THREADS_ENV,
  applyNativeThreads,
  currentNativeThreads,
  describeNativeThreads,
  resolveNativeThreads,
  type NativeThreads,
} from './native-threads.js';
export {
  describeProbe,
  probeInstalled,
  probePackage,
  type PackageProbe,
  type ProbePackage,
} from './probe-package.js';
export {
  BACKEND_ENV,
  currentBackendSelection,
  selectBackend,
  type BackendSelection,
  type SelectBackendOptions,
} from './select-backend.js';
export {
  appliedKernelPatches,
  appliedTfjsPatches,
  type AppliedEnginePatches,
  type AppliedKernelPatch,
  type AppliedTfjsPatch,
} from '../engine/index.js';
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
