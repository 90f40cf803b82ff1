/** MaxPoolGrad on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const maxPoolGradPatch: KernelPatch = {
  config: borrowCpuKernel(tf.MaxPoolGrad),
  kind: 'replace',
  why: "tfjs-backend-wasm's MaxPoolGrad starts each window's max at the smallest positive float, so a window of negative values (maxPooling2d after a layer without relu) loses its gradient.",
};
