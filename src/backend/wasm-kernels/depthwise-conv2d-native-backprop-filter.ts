/** DepthwiseConv2dNativeBackpropFilter on wasm, which tfjs-backend-wasm 4.22 lacks: needed for the gradient of depthwise and separable convolutions with respect to their filters. */
import * as tf from '@tensorflow/tfjs';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const depthwiseConv2dNativeBackpropFilterConfig: tf.KernelConfig = borrowCpuKernel(
  tf.DepthwiseConv2dNativeBackpropFilter,
);
