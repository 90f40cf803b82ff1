/** DepthwiseConv2dNativeBackpropFilter on wasm, borrowed from the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

export const depthwiseConv2dNativeBackpropFilterPatch: KernelPatch = {
  config: borrowCpuKernel(tf.DepthwiseConv2dNativeBackpropFilter),
  kind: 'missing',
  why: 'tfjs-backend-wasm has no DepthwiseConv2dNativeBackpropFilter; depthwise and separable conv layers need it for their filter gradients.',
};
