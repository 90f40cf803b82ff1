/**
 * Conv2DBackpropFilter on wasm, which tfjs-backend-wasm 4.22 lacks. Borrowing the cpu kernel
 * works but is far too slow for training (about 40 s for one 3x3 16->32 filter gradient on a
 * batch of 64 28x28 maps), so NHWC, the layout tf.layers uses, runs on wasm kernels instead:
 * for each filter tap (kh, kw), the strided window of the padded input that the tap saw is
 * multiplied with dy, dW[kh, kw] = window^T · dy, one XNNPACK matmul per tap. NCHW borrows cpu.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../kernel-patch.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';
import { runWasmKernel, type WasmKernelBackend } from './run-wasm-kernel.js';

type Shape4 = [number, number, number, number];

interface BackpropFilterAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly filterShape: Shape4;
}

const borrowed = borrowCpuKernel(tf.Conv2DBackpropFilter);

const conv2DBackpropFilter: tf.KernelFunc = (params) => {
  const attrs = params.attrs as unknown as BackpropFilterAttrs;
  const { x, dy } = params.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  if (attrs.dataFormat === 'NCHW') return borrowed.kernelFunc(params);
  const backend = params.backend as WasmKernelBackend;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as Shape4,
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const { batchSize, outHeight, outWidth, inChannels, outChannels, padInfo } = info;
  const rows = batchSize * outHeight * outWidth;
  const temporaries: tf.TensorInfo[] = [];
  const temporary = (t: tf.TensorInfo) => (temporaries.push(t), t);
  const blocks: tf.backend_util.BackendValues[] = [];
  try {
    const padded =
      padInfo.top + padInfo.bottom + padInfo.left + padInfo.right === 0
        ? x
        : temporary(
            runWasmKernel(
              'PadV2',
              { x },
              {
                paddings: [
                  [0, 0],
                  [padInfo.top, padInfo.bottom],
                  [padInfo.left, padInfo.right],
                  [0, 0],
                ],
                constantValue: 0,
              },
              backend,
            ),
          );
    const dyRows = temporary(
      runWasmKernel('Reshape', { x: dy }, { shape: [1, rows, outChannels] }, backend),
    );
    for (let kh = 0; kh < info.filterHeight; kh++) {
      for (let kw = 0; kw < info.filterWidth; kw++) {
        const window = temporary(
          runWasmKernel(
            'StridedSlice',
            { x: padded },
            {
              begin: [0, kh, kw, 0],
              end: [
                batchSize,
                kh + (outHeight - 1) * info.strideHeight + 1,
                kw + (outWidth - 1) * info.strideWidth + 1,
                inChannels,
              ],
              strides: [1, info.strideHeight, info.strideWidth, 1],
              beginMask: 0,
              endMask: 0,
              ellipsisMask: 0,
              newAxisMask: 0,
              shrinkAxisMask: 0,
            },
            backend,
          ),
        );
        const windowRows = temporary(
          runWasmKernel('Reshape', { x: window }, { shape: [1, rows, inChannels] }, backend),
        );
        const block = temporary(
          runWasmKernel(
            'BatchMatMul',
            { a: windowRows, b: dyRows },
            { transposeA: true, transposeB: false },
            backend,
          ),
        );
        blocks.push(backend.readSync(block.dataId));
      }
    }
  } finally {
    for (const t of temporaries) backend.disposeData(t.dataId);
  }
  const dw = backend.makeOutput([...attrs.filterShape], 'float32');
  // Taken after all allocations: growing the wasm heap detaches earlier views of it.
  const heap = backend.typedArrayFromHeap(dw);
  blocks.forEach((block, tap) => heap.set(block as Float32Array, tap * inChannels * outChannels));
  return dw;
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
    'filter gradients (computed here as one wasm matmul per filter tap).',
};
