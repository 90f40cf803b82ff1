/**
 * Conv2DBackpropFilter on wasm, which tfjs-backend-wasm 4.22 lacks. Borrowing the cpu kernel
 * works but is far too slow for training (about 40 s for one 3x3 16->32 filter gradient on a
 * batch of 64 28x28 maps; about 35 ms this way), so NHWC, the layout tf.layers uses, runs as a
 * single wasm convolution: the filter gradient is the correlation of the input with dy over the
 * batch, dW[kh,kw,ci,co] = sum_{n,oh,ow} xpad[n, oh*s + kh, ow*s + kw, ci] * dy[n,oh,ow,co],
 * which is Conv2D(input = xpad as [ci, h, w, n], filter = dy as [oh, ow, n, co], dilation = s)
 * cropped to the filter size. NCHW, and shapes where that identity does not hold, borrow cpu.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';
import { forwardConvInfo, type ConvGradientAttrs, type Shape4 } from './conv2d-gradient-info.js';
import { runWasmKernel, type WasmKernelBackend } from './run-wasm-kernel.js';

interface BackpropFilterAttrs extends ConvGradientAttrs {
  readonly filterShape: Shape4;
}

const borrowed = borrowCpuKernel(tf.Conv2DBackpropFilter);

const conv2DBackpropFilter: tf.KernelFunc = (params) => {
  const attrs = params.attrs as unknown as BackpropFilterAttrs;
  const { x, dy } = params.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (attrs.dataFormat === 'NCHW') return borrowed.kernelFunc(params);
  const backend = params.backend as WasmKernelBackend;
  const info = forwardConvInfo(x.shape as Shape4, attrs.filterShape, attrs);
  const { padInfo, filterHeight, filterWidth, strideHeight, strideWidth } = info;
  const paddedHeight = info.inHeight + padInfo.top + padInfo.bottom;
  const paddedWidth = info.inWidth + padInfo.left + padInfo.right;
  const fullHeight = paddedHeight - (info.outHeight - 1) * strideHeight;
  const fullWidth = paddedWidth - (info.outWidth - 1) * strideWidth;
  if (fullHeight < filterHeight || fullWidth < filterWidth || padInfo.top < 0 || padInfo.left < 0) {
    return borrowed.kernelFunc(params); // e.g. 'ceil' rounding that reads past the padded input
  }
  const temporaries: tf.TensorInfo[] = [];
  const temporary = (t: tf.TensorInfo) => (temporaries.push(t), t);
  try {
    const hasPadding = padInfo.top + padInfo.bottom + padInfo.left + padInfo.right > 0;
    const paddings = [
      [0, 0],
      [padInfo.top, padInfo.bottom],
      [padInfo.left, padInfo.right],
      [0, 0],
    ];
    const padded = hasPadding
      ? temporary(runWasmKernel('PadV2', { x }, { paddings, constantValue: 0 }, backend))
      : x;
    const input = temporary(
      runWasmKernel('Transpose', { x: padded }, { perm: [3, 1, 2, 0] }, backend),
    );
    const filter = temporary(
      runWasmKernel('Transpose', { x: dy }, { perm: [1, 2, 0, 3] }, backend),
    );
    const full = temporary(
      runWasmKernel(
        'Conv2D',
        { x: input, filter },
        {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [strideHeight, strideWidth],
          dimRoundingMode: undefined,
        },
        backend,
      ),
    );
    const [inChannels, , , outChannels] = full.shape as Shape4;
    const cropped =
      fullHeight === filterHeight && fullWidth === filterWidth
        ? full
        : temporary(
            runWasmKernel(
              'Slice',
              { x: full },
              { begin: [0, 0, 0, 0], size: [inChannels, filterHeight, filterWidth, outChannels] },
              backend,
            ),
          );
    return runWasmKernel('Transpose', { x: cropped }, { perm: [1, 2, 0, 3] }, backend);
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
};

export const conv2DBackpropFilterPatch: KernelPatch = {
  config: {
    kernelName: tf.Conv2DBackpropFilter,
    backendName: 'wasm',
    kernelFunc: conv2DBackpropFilter,
  },
  kind: 'missing',
  why:
    'tfjs-backend-wasm has no Conv2DBackpropFilter; conv1d and conv2d layers need it for their ' +
    'filter gradients (computed here as one wasm convolution).',
  upstream: 'tfjs-backend-wasm/src/register_all_kernels.ts (no such kernel)',
};
