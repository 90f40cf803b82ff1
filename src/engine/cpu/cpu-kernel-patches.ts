/**
 * The kernel patches the engine applies to the cpu backend: kernels of tfjs-backend-cpu 4.22
 * whose gradients are wrong. cpu is also the reference the wasm patches borrow from and the
 * backend kernel listing runs on, so wasm gets these too.
 */
import type { KernelPatch } from '../patch.js';
import { resizeBilinearGradPatch } from './resize-bilinear-grad.js';
import { resizeNearestNeighborGradPatch } from './resize-nearest-neighbor-grad.js';

export const CPU_KERNEL_PATCHES: readonly KernelPatch[] = [
  resizeBilinearGradPatch,
  resizeNearestNeighborGradPatch,
];
