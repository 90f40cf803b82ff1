/** Conv2DBackpropFilter on wasm, which tfjs-backend-wasm 4.22 lacks: needed for the gradient of conv2d and conv1d with respect to their filters. */
import * as tf from '@tensorflow/tfjs';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const conv2DBackpropFilterConfig: tf.KernelConfig = borrowCpuKernel(tf.Conv2DBackpropFilter);
