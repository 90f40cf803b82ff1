/** MaxPoolWithArgmax on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const maxPoolWithArgmaxPatch: KernelPatch = {
  config: borrowCpuKernel(tf.MaxPoolWithArgmax),
  kind: 'replace',
  why: "tfjs-backend-wasm's MaxPoolWithArgmax returns 0 for windows of negative values.",
};
