/** Dilation2DBackpropInput on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const dilation2DBackpropInputPatch: KernelPatch = {
  config: borrowCpuKernel(tf.Dilation2DBackpropInput),
  kind: 'replace',
  why: "tfjs-backend-wasm's Dilation2DBackpropInput disagrees with cpu and with finite differences; the cpu kernel matches both.",
};
