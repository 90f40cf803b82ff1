/** Einsum on wasm, which tfjs-backend-wasm 4.22 lacks: needed for tf.einsum. */
import * as tf from '@tensorflow/tfjs';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const einsumConfig: tf.KernelConfig = borrowCpuKernel(tf.Einsum);
