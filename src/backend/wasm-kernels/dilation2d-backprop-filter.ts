/** Dilation2DBackpropFilter on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const dilation2DBackpropFilterPatch: KernelPatch = {
  config: borrowCpuKernel(tf.Dilation2DBackpropFilter),
  kind: 'replace',
  why: "tfjs-backend-wasm's Dilation2DBackpropFilter disagrees with cpu and with finite differences; the cpu kernel matches both.",
};
