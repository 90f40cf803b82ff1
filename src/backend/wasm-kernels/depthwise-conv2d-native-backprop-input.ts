/** DepthwiseConv2dNativeBackpropInput on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const depthwiseConv2dNativeBackpropInputPatch: KernelPatch = {
  config: borrowCpuKernel(tf.DepthwiseConv2dNativeBackpropInput),
  kind: 'missing',
  why: 'tfjs-backend-wasm has no DepthwiseConv2dNativeBackpropInput; depthwise and separable conv layers need it for their input gradients.',
};
