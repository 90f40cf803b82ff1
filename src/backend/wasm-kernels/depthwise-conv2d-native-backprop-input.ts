/** DepthwiseConv2dNativeBackpropInput on wasm, which tfjs-backend-wasm 4.22 lacks: needed for the gradient of depthwise and separable convolutions with respect to their input. */
import * as tf from '@tensorflow/tfjs';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const depthwiseConv2dNativeBackpropInputConfig: tf.KernelConfig = borrowCpuKernel(
  tf.DepthwiseConv2dNativeBackpropInput,
);
