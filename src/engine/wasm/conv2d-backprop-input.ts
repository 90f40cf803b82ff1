/**
 * Conv2DBackpropInput on wasm as one forward wasm convolution. tfjs-backend-wasm 4.22 computes it
 * with a plain loop: 26 ms for the input gradient of a stride-2, width-5, 64→64 conv1d over a
 * batch of 64 clips of 63 frames, against ~2.7 ms for a forward convolution of that size, and it
 * was the largest cost of the tri-modal (audio) training step. The input gradient is the
 * correlation of dy, dilated by the stride (zeros between its elements) and padded to 'full',
 * with the filter flipped in space and its channel axes swapped:
 *   dx = Conv2D(pad(dilate(dy, s)), reverse_hw(W) transposed to [kh, kw, co, ci]).
 * NCHW, dilated filters and paddings that identity cannot express run the package's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { forwardConvInfo, type ConvGradientAttrs, type Shape4 } from './conv2d-gradient-info.js';
import { runWasmKernel, type WasmKernelBackend } from './run-wasm-kernel.js';

interface BackpropInputAttrs extends ConvGradientAttrs {
  readonly inputShape: Shape4;
}

function viaConvolution(original: tf.KernelConfig): tf.KernelFunc {
  return (params) => {
    const attrs = params.attrs as unknown as BackpropInputAttrs;
    if (attrs.dataFormat === 'NCHW') return original.kernelFunc(params);
    const { dy, filter } = params.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const backend = params.backend as WasmKernelBackend;
    const info = forwardConvInfo(attrs.inputShape, filter.shape as Shape4, attrs);
    const { padInfo, filterHeight, filterWidth, strideHeight, strideWidth } = info;
    const { batchSize, inHeight, inWidth, outHeight, outWidth, outChannels } = info;
    const dilatedHeight = (outHeight - 1) * strideHeight + 1;
    const dilatedWidth = (outWidth - 1) * strideWidth + 1;
    const top = filterHeight - 1 - padInfo.top;
    const left = filterWidth - 1 - padInfo.left;
    const bottom = inHeight + filterHeight - 1 - dilatedHeight - top;
    const right = inWidth + filterWidth - 1 - dilatedWidth - left;
    if (Math.min(top, left, bottom, right) < 0) return original.kernelFunc(params);

    const temporaries: tf.TensorInfo[] = [];
    const run = (name: string, inputs: Record<string, tf.TensorInfo>, kernelAttrs: object) => {
      const out = runWasmKernel(name, inputs, kernelAttrs as Record<string, unknown>, backend);
      temporaries.push(out);
      return out;
    };
    const reshape = (x: tf.TensorInfo, shape: number[]) => run('Reshape', { x }, { shape });
    try {
      // Dilate: give every element s-1 zeros after it along each strided axis, then drop the
      // zeros after the last one.
      let spread = dy;
      if (strideHeight > 1 || strideWidth > 1) {
        const cells = reshape(dy, [batchSize, outHeight, 1, outWidth, 1, outChannels]);
        const padded = run(
          'PadV2',
          { x: cells },
          {
            paddings: [
              [0, 0],
              [0, 0],
              [0, strideHeight - 1],
              [0, 0],
              [0, strideWidth - 1],
              [0, 0],
            ],
            constantValue: 0,
          },
        );
        const grid = reshape(padded, [
          batchSize,
          outHeight * strideHeight,
          outWidth * strideWidth,
          outChannels,
        ]);
        spread = run(
          'Slice',
          { x: grid },
          { begin: [0, 0, 0, 0], size: [batchSize, dilatedHeight, dilatedWidth, outChannels] },
        );
      }
      const full = run(
        'PadV2',
        { x: spread },
        {
          paddings: [
            [0, 0],
            [top, bottom],
            [left, right],
            [0, 0],
          ],
          constantValue: 0,
        },
      );
      const flipped = run('Reverse', { x: filter }, { dims: [0, 1] });
      const swapped = run('Transpose', { x: flipped }, { perm: [0, 1, 3, 2] });
      return runWasmKernel(
        'Conv2D',
        { x: full, filter: swapped },
        {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [1, 1],
          dimRoundingMode: undefined,
        },
        backend,
      );
    } finally {
      for (const t of temporaries) backend.disposeData(t.dataId);
    }
  };
}

let patch: KernelPatch | undefined;

/** The patch, made once from the wasm package's own kernel (which it falls back to). */
export function conv2DBackpropInputPatches(): KernelPatch[] {
  if (patch) return [patch];
  const original = tf.getKernel(tf.Conv2DBackpropInput, 'wasm');
  if (!original) return [];
  patch = {
    config: { ...original, kernelFunc: viaConvolution(original) },
    kind: 'faster',
    why:
      "tfjs-backend-wasm's Conv2DBackpropInput is a plain loop, ~10× slower than a forward " +
      'convolution of the same size; run as one wasm Conv2D over the dilated, padded dy.',
    upstream: 'tfjs-backend-wasm/src/cc/kernels/Conv2DBackpropInput.cc, Conv2DBackpropInput',
  };
  return [patch];
}
