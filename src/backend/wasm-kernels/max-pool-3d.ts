/** MaxPool3D on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const maxPool3DPatch: KernelPatch = {
  config: borrowCpuKernel(tf.MaxPool3D),
  kind: 'replace',
  why: "tfjs-backend-wasm's MaxPool3D starts each window's max at the smallest positive float, so windows of negative values return 0.",
};
