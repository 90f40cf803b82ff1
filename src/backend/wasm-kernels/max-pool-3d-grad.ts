/** MaxPool3DGrad on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const maxPool3DGradPatch: KernelPatch = {
  config: borrowCpuKernel(tf.MaxPool3DGrad),
  kind: 'replace',
  why: "tfjs-backend-wasm's MaxPool3DGrad starts each window's max at the smallest positive float, so windows of negative values lose their gradient.",
};
