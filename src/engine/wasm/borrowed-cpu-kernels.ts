/**
 * The wasm kernels mmae takes from the cpu backend (borrow-cpu-kernel.ts), one record each, as
 * tfjs's register_all_kernels lists its kernels: ones tfjs-backend-wasm 4.22 lacks, and ones whose
 * wasm results are wrong. Several wasm max kernels start a window's max at
 * std::numeric_limits<float>::min(), the smallest *positive* float, instead of -Infinity, so a
 * window of negative values gives 0 (forward) or loses its gradient (backward).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch, PatchKind } from '../patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';

const WASM = 'tfjs-backend-wasm/src';
const UNREGISTERED = `${WASM}/register_all_kernels.ts (no such kernel)`;
const MAX_STARTS_AT_FLT_MIN = 'starts each window’s max at the smallest positive float';

interface Borrowed {
  readonly kernelName: string;
  readonly kind: Exclude<PatchKind, 'faster'>;
  readonly why: string;
  readonly upstream: string;
}

const BORROWED: readonly Borrowed[] = [
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropFilter,
    kind: 'missing',
    why:
      'tfjs-backend-wasm has no DepthwiseConv2dNativeBackpropFilter; depthwise and separable ' +
      'conv layers need it for their filter gradients.',
    upstream: UNREGISTERED,
  },
  {
    kernelName: tf.DepthwiseConv2dNativeBackpropInput,
    kind: 'missing',
    why:
      'tfjs-backend-wasm has no DepthwiseConv2dNativeBackpropInput; depthwise and separable ' +
      'conv layers need it for their input gradients.',
    upstream: UNREGISTERED,
  },
  {
    kernelName: tf.Einsum,
    kind: 'missing',
    why: 'tfjs-backend-wasm has no Einsum; tf.einsum needs it.',
    upstream: UNREGISTERED,
  },
  {
    kernelName: tf.MaxPoolGrad,
    kind: 'replace',
    why:
      `tfjs-backend-wasm's MaxPoolGrad ${MAX_STARTS_AT_FLT_MIN}, so a window of negative values ` +
      '(maxPooling2d after a layer without relu) loses its gradient.',
    upstream: `${WASM}/cc/kernels/MaxPoolGrad.cc, MaxPoolGrad (its max's initial value)`,
  },
  {
    kernelName: tf.MaxPoolWithArgmax,
    kind: 'replace',
    why: "tfjs-backend-wasm's MaxPoolWithArgmax returns 0 for windows of negative values.",
    upstream: `${WASM}/cc/kernels/MaxPoolWithArgmax.cc, MaxPoolWithArgmaxImpl (its max's initial value)`,
  },
  {
    kernelName: tf.MaxPool3D,
    kind: 'replace',
    why:
      `tfjs-backend-wasm's MaxPool3D ${MAX_STARTS_AT_FLT_MIN}, so windows of negative values ` +
      'return 0.',
    upstream: `${WASM}/cc/kernels/MaxPool3D.cc, MaxPool3D (its max's initial value)`,
  },
  {
    kernelName: tf.MaxPool3DGrad,
    kind: 'replace',
    why:
      `tfjs-backend-wasm's MaxPool3DGrad ${MAX_STARTS_AT_FLT_MIN}, so windows of negative ` +
      'values lose their gradient.',
    upstream: `${WASM}/cc/kernels/MaxPool3DGrad.cc, MaxPool3DGrad (its max's initial value)`,
  },
  {
    kernelName: tf.Dilation2D,
    kind: 'replace',
    why: "tfjs-backend-wasm's Dilation2D returns 0 where every dilated value is negative.",
    upstream: `${WASM}/cc/dilation2d_impl.h, Dilation2DImpl (its max's initial value)`,
  },
  {
    kernelName: tf.Dilation2DBackpropInput,
    kind: 'replace',
    why:
      "tfjs-backend-wasm's Dilation2DBackpropInput disagrees with cpu and with finite " +
      'differences; the cpu kernel matches both.',
    upstream: `${WASM}/cc/dilation2d_impl.h, Dilation2DBackpropInputImpl (its max's initial value)`,
  },
  {
    kernelName: tf.Dilation2DBackpropFilter,
    kind: 'replace',
    why:
      "tfjs-backend-wasm's Dilation2DBackpropFilter disagrees with cpu and with finite " +
      'differences; the cpu kernel matches both.',
    upstream: `${WASM}/cc/dilation2d_impl.h, Dilation2DBackpropFilterImpl (its max's initial value)`,
  },
  {
    kernelName: tf.Conv3DBackpropInputV2,
    kind: 'replace',
    why:
      "tfjs-backend-wasm's Conv3DBackpropInputV2 disagrees with cpu and with finite " +
      'differences; the cpu kernel matches both.',
    upstream: `${WASM}/cc/conv3d_impl.h, NDHWCConv3DBackpropInputV2Impl`,
  },
];

export const BORROWED_CPU_KERNEL_PATCHES: readonly KernelPatch[] = BORROWED.map(
  ({ kernelName, ...patch }) => ({ config: borrowCpuKernel(kernelName), ...patch }),
);
