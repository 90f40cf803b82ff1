/** Dilation2D on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const dilation2DPatch: KernelPatch = {
  config: borrowCpuKernel(tf.Dilation2D),
  kind: 'replace',
  why: "tfjs-backend-wasm's Dilation2D returns 0 where every dilated value is negative.",
};
