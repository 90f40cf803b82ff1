/**
 * The speed engine, behind this one module: mmae's kernels for tfjs backends (native C++ kernels
 * on the wasm heap, wasm kernels tfjs-backend-wasm lacks or gets wrong, cpu gradient fixes, the
 * fused Adam step) and the few patches of tfjs code that route training through them. Nothing here
 * runs at import: backend selection applies the patches for the backend it starts (applyEngine),
 * and `mmae doctor` reports what is in effect. The ops in src/ops call the engine's kernels by
 * name where they are registered and plain tfjs ops elsewhere, so code below this (the model, a
 * browser bundle) never needs it. Node-only: the native addon is loaded with node:module.
 */
export { applyEngine, type AppliedEnginePatches } from './apply-engine.js';
export {
  appliedKernelPatches,
  appliedTfjsPatches,
  applyKernelPatches,
  type AppliedKernelPatch,
  type AppliedTfjsPatch,
  type KernelPatch,
  type PatchKind,
  type TfjsPatch,
} from './patch.js';
export { CPU_KERNEL_PATCHES } from './cpu/cpu-kernel-patches.js';
export { WASM_KERNEL_PATCHES, wasmKernelPatches } from './wasm/wasm-kernel-patches.js';
export { borrowCpuKernel } from './wasm/borrow-cpu-kernel.js';
export { fusedAdamPatch } from './adam/fused-adam-kernel.js';
export { untransposedMatMulPatches } from './wasm/untransposed-matmul.js';
export {
  nativeKernels,
  nativeKernelStatus,
  type NativeKernels,
  type NativeKernelStatus,
} from './native/native-kernels.js';
export { silenceCpuGreeting } from './wasm/borrow-cpu-kernel.js';
export { nativeFallbacks, type NativeFallback } from './wasm/native-fallbacks.js';
