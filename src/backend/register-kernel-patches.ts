/**
 * Applies every kernel patch mmae ships, for cpu and wasm. The wasm package is imported first
 * because it registers its own kernels on import; a replacement applied before that import
 * would be overwritten by the package's faulty kernel.
 */
import '@tensorflow/tfjs-backend-wasm';
import { patchDenseLayer } from '../ops/dense-layer-patch.js';
import type { AppliedKernelPatch } from './kernel-patch.js';
import { registerReductionGradients } from './reduction-gradients.js';
import { shareSavedTensors } from './shared-saves.js';
import { registerCpuKernelPatches } from './cpu-kernels/register-cpu-kernels.js';
import { registerWasmKernelPatches } from './wasm-kernels/register-wasm-kernels.js';

/** Idempotent; returns the patches this call applied (none on a second call). */
export function registerKernelPatches(): AppliedKernelPatch[] {
  // Dense layers use the one-kernel gradient wherever a backend has it (checked per call).
  patchDenseLayer();
  registerReductionGradients();
  shareSavedTensors();
  return [...registerCpuKernelPatches(), ...registerWasmKernelPatches()];
}
