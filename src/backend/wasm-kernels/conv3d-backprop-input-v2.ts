/** Conv3DBackpropInputV2 on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const conv3DBackpropInputV2Patch: KernelPatch = {
  config: borrowCpuKernel(tf.Conv3DBackpropInputV2),
  kind: 'replace',
  why: "tfjs-backend-wasm's Conv3DBackpropInputV2 disagrees with cpu and with finite differences; the cpu kernel matches both.",
};
