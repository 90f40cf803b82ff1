/** UnsortedSegmentSum on wasm, which tfjs-backend-wasm 4.22 lacks: needed for the gradient of gather, so of embedding layers. */
import * as tf from '@tensorflow/tfjs';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const unsortedSegmentSumConfig: tf.KernelConfig = borrowCpuKernel(tf.UnsortedSegmentSum);
