/** Einsum on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const einsumPatch: KernelPatch = {
  config: borrowCpuKernel(tf.Einsum),
  kind: 'missing',
  why: 'tfjs-backend-wasm has no Einsum; tf.einsum needs it.',
};
