/**
 * The kernel patches the engine applies to the wasm backend, listed once (like tfjs's
 * register_all_kernels): kernels tfjs-backend-wasm 4.22 lacks, kernels whose wasm results are
 * wrong (borrowed from cpu), faster kernels for the products, convolution gradients, Sum and
 * Identity, and mmae's own kernels (fused Adam; with the native addon built, the dense layer, the
 * two likelihoods and the products of experts), and with it built the resize and max-pool kernels
 * (native-resize-pool.ts), whose MaxPoolGrad stands in for the borrowed one. Made after @tensorflow/tfjs-backend-wasm is
 * imported: several wrap the package's own kernel, which its import registers.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { fusedAdamPatch } from '../adam/fused-adam-kernel.js';
import { bernoulliNllPatches } from './bernoulli-nll.js';
import { BORROWED_CPU_KERNEL_PATCHES } from './borrowed-cpu-kernels.js';
import { conv2DBackpropFilterPatch } from './conv2d-backprop-filter.js';
import { conv2DBackpropInputPatches } from './conv2d-backprop-input.js';
import { convLayerKernelPatches } from './conv-layer-kernels.js';
import { denseKernelPatches } from './dense-kernels.js';
import { nativeConv2DPatches } from './native-conv2d.js';
import { nativeMatMulPatches } from './native-matmul.js';
import { nativeResizePoolPatches } from './native-resize-pool.js';
import { nativeSumPatches } from './native-sum.js';
import { poeSamplePatches } from './poe-sample.js';
import { sharedIdentityPatch } from './shared-identity.js';
import { tokenNllPatches } from './token-nll.js';
import { unsortedSegmentSumPatch } from './unsorted-segment-sum.js';
import { untransposedMatMulPatches } from './untransposed-matmul.js';

/** The patches of kernels cpu also has (each gives cpu's values), made without the package. */
export const WASM_KERNEL_PATCHES: readonly KernelPatch[] = [
  conv2DBackpropFilterPatch,
  unsortedSegmentSumPatch,
  ...BORROWED_CPU_KERNEL_PATCHES,
];

/** Every wasm patch; call it after @tensorflow/tfjs-backend-wasm is imported. */
export function wasmKernelPatches(): KernelPatch[] {
  const identity = tf.getKernel('Identity', 'wasm');
  const matMulPatches = untransposedMatMulPatches();
  const nativeMatMul = nativeMatMulPatches(matMulPatches);
  const convGradients = [conv2DBackpropFilterPatch, ...conv2DBackpropInputPatches()];
  const nativeConv = nativeConv2DPatches(convGradients);
  const resizePool = nativeResizePoolPatches();
  // A native kernel that replaces a listed one (Conv2DBackpropFilter, MaxPoolGrad) is the only
  // record of its name; it falls back to the one it replaces, which it holds.
  const native = new Set([...nativeConv, ...resizePool].map((p) => p.config.kernelName));
  return [
    ...WASM_KERNEL_PATCHES.filter((p) => !native.has(p.config.kernelName)),
    fusedAdamPatch,
    ...(nativeMatMul.length > 0 ? nativeMatMul : matMulPatches),
    ...(nativeConv.length > 0 ? nativeConv : conv2DBackpropInputPatches()),
    ...denseKernelPatches(),
    ...(nativeConv.length > 0 ? convLayerKernelPatches() : []),
    ...bernoulliNllPatches(),
    ...tokenNllPatches(),
    ...poeSamplePatches(),
    ...(identity ? [sharedIdentityPatch(identity)] : []),
    ...nativeSumPatches(tf.getKernel('Sum', 'wasm')),
    ...resizePool,
  ];
}
