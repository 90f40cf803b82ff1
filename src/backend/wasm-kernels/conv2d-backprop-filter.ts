/** Conv2DBackpropFilter on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const conv2DBackpropFilterPatch: KernelPatch = {
  config: borrowCpuKernel(tf.Conv2DBackpropFilter),
  kind: 'missing',
  why: 'tfjs-backend-wasm has no Conv2DBackpropFilter; conv1d and conv2d layers need it for their filter gradients.',
};
