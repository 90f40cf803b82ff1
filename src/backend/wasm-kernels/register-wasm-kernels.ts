/**
 * The kernels mmae adds to the wasm backend, listed once (like tfjs's register_all_kernels), and
 * their idempotent registration. A kernel that the wasm backend already has, natively or from an
 * earlier call, is left alone, so calling this again (or after a tfjs upgrade that adds the
 * kernel natively) changes nothing and logs no "already registered" warning.
 */
import * as tf from '@tensorflow/tfjs';
import { conv2DBackpropFilterConfig } from './conv2d-backprop-filter.js';
import { depthwiseConv2dNativeBackpropFilterConfig } from './depthwise-conv2d-native-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputConfig } from './depthwise-conv2d-native-backprop-input.js';
import { einsumConfig } from './einsum.js';
import { unsortedSegmentSumConfig } from './unsorted-segment-sum.js';

export const WASM_FALLBACK_KERNELS: readonly tf.KernelConfig[] = [
  conv2DBackpropFilterConfig,
  depthwiseConv2dNativeBackpropFilterConfig,
  depthwiseConv2dNativeBackpropInputConfig,
  einsumConfig,
  unsortedSegmentSumConfig,
];

const registeredByMmae = new Set<string>();

/** Registers the fallbacks the wasm backend lacks; returns the names this call registered. */
export function registerWasmFallbackKernels(): string[] {
  const added: string[] = [];
  for (const config of WASM_FALLBACK_KERNELS) {
    if (tf.getKernel(config.kernelName, config.backendName) !== undefined) continue;
    tf.registerKernel(config);
    registeredByMmae.add(config.kernelName);
    added.push(config.kernelName);
  }
  return added;
}

/** Kernel names that mmae (not tfjs-backend-wasm) provides on wasm in this process. */
export function wasmFallbackKernelNames(): string[] {
  return [...registeredByMmae].sort();
}
