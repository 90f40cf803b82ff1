/**
 * The kernel patches mmae applies to the wasm backend, listed once (like tfjs's
 * register_all_kernels): kernels tfjs-backend-wasm 4.22 lacks, and kernels whose wasm results are
 * * wrong (several start a max at the smallest positive float instead of -Infinity). Each borrows
 * the cpu kernel of the same name.
 */
import * as tf from '@tensorflow/tfjs';
import { applyKernelPatches, type AppliedKernelPatch, type KernelPatch } from '../kernel-patch.js';
import { conv2DBackpropFilterPatch } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputPatches } from './conv2d-backprop-input.js';
import { conv3DBackpropInputV2Patch } from './conv3d-backprop-input-v2.js';
import { depthwiseConv2dNativeBackpropFilterPatch } from './depthwise-conv2d-native-backprop-filter.js';
import { depthwiseConv2dNativeBackpropInputPatch } from './depthwise-conv2d-native-backprop-input.js';
import { dilation2DBackpropFilterPatch } from './dilation2d-backprop-filter.js';
import { dilation2DBackpropInputPatch } from './dilation2d-backprop-input.js';
import { denseKernelPatches } from './dense-kernels.js';
import { sharedIdentityPatch } from './shared-identity.js';
import { bernoulliNllPatches } from './bernoulli-nll.js';
import { poeSamplePatches } from './poe-sample.js';
import { tokenNllPatches } from './token-nll.js';
import { einsumPatch } from './einsum.js';
import { fusedAdamPatch } from './fused-adam.js';
import { nativeMatMulPatches } from './native-matmul.js';
import { nativeSumPatches } from './native-sum.js';
import { maxPool3DPatch } from './max-pool-3d.js';
import { maxPool3DGradPatch } from './max-pool-3d-grad.js';
import { maxPoolWithArgmaxPatch } from './max-pool-with-argmax.js';
import { dilation2DPatch } from './dilation2d.js';
import { maxPoolGradPatch } from './max-pool-grad.js';
import { unsortedSegmentSumPatch } from './unsorted-segment-sum.js';
import { untransposedMatMulPatches } from './untransposed-matmul.js';

export const WASM_KERNEL_PATCHES: readonly KernelPatch[] = [
  conv2DBackpropFilterPatch,
  unsortedSegmentSumPatch,
  depthwiseConv2dNativeBackpropFilterPatch,
  depthwiseConv2dNativeBackpropInputPatch,
  einsumPatch,
  maxPoolGradPatch,
  dilation2DPatch,
  maxPoolWithArgmaxPatch,
  maxPool3DGradPatch,
  maxPool3DPatch,
  conv3DBackpropInputV2Patch,
  dilation2DBackpropInputPatch,
  dilation2DBackpropFilterPatch,
];

/**
 * Applies the wasm patches (idempotent). Call it after @tensorflow/tfjs-backend-wasm is imported:
 * the package registers its own kernels on import, and a replacement applied before that would be
 * overwritten.
 */
export function registerWasmKernelPatches(): AppliedKernelPatch[] {
  const identity = tf.getKernel('Identity', 'wasm');
  const sum = tf.getKernel('Sum', 'wasm');
  const matMulPatches = untransposedMatMulPatches();
  const nativeMatMul = nativeMatMulPatches(matMulPatches);
  return applyKernelPatches([
    ...WASM_KERNEL_PATCHES,
    ...(nativeMatMul.length > 0 ? nativeMatMul : matMulPatches),
    ...conv2DBackpropInputPatches(),
    fusedAdamPatch,
    ...denseKernelPatches(),
    ...bernoulliNllPatches(),
    ...tokenNllPatches(),
    ...poeSamplePatches(),
    ...(identity ? [sharedIdentityPatch(identity)] : []),
    ...nativeSumPatches(sum),
  ]);
}
