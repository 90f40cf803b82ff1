/**
 * The kernel patches mmae applies to the cpu backend: kernels of tfjs-backend-cpu 4.22 whose
 * gradients are wrong. cpu is also the source the wasm patches borrow from, so these fix both.
 */
import { applyKernelPatches, type AppliedKernelPatch, type KernelPatch } from '../kernel-patch.js';
import { resizeBilinearGradPatch } from './resize-bilinear-grad.js';
import { resizeNearestNeighborGradPatch } from './resize-nearest-neighbor-grad.js';

export const CPU_KERNEL_PATCHES: readonly KernelPatch[] = [
  resizeBilinearGradPatch,
  resizeNearestNeighborGradPatch,
];

/** Applies the cpu patches (idempotent). */
export function registerCpuKernelPatches(): AppliedKernelPatch[] {
  return applyKernelPatches(CPU_KERNEL_PATCHES);
}
