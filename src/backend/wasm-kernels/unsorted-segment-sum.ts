/** UnsortedSegmentSum on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const unsortedSegmentSumPatch: KernelPatch = {
  config: borrowCpuKernel(tf.UnsortedSegmentSum),
  kind: 'missing',
  why: 'tfjs-backend-wasm has no UnsortedSegmentSum; the gradient of gather (embedding layers) needs it.',
};
