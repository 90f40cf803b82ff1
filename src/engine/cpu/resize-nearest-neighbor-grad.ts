/**
 * ResizeNearestNeighborGrad for cpu. tfjs-backend-cpu 4.22 offsets dy by the batch stride of the
 * *images*, so every batch element after the first reads the wrong gradient; upSampling2d layers
 * then train wrongly whenever the batch has more than one sample. This is the exact adjoint of
 * the forward kernel: each dy cell is added to the source pixel the forward pass copied.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { kernelInputs, type CpuBackendLike } from './cpu-backend-like.js';
import { resizeGradArgs, resizeScale } from './resize-scales.js';

function nearest(target: number, scale: number, inSize: number, alignCorners: boolean): number {
  const source = target * scale;
  return Math.min(inSize - 1, alignCorners ? Math.round(source) : Math.floor(source));
}

const resizeNearestNeighborGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { images, dy } = kernelInputs(inputs, ['images', 'dy'], tf.ResizeNearestNeighborGrad);
  const cpu = backend as CpuBackendLike;
  const a = resizeGradArgs(images.shape, dy.shape, attrs?.['alignCorners']);
  const rowScale = resizeScale(a.inHeight, a.outHeight, a.alignCorners);
  const colScale = resizeScale(a.inWidth, a.outWidth, a.alignCorners);
  const dyValues = cpu.readSync(dy.dataId) as Float32Array;
  const dx = new Float32Array(a.batch * a.inHeight * a.inWidth * a.depth);
  let dyIndex = 0;
  for (let b = 0; b < a.batch; b++) {
    for (let r = 0; r < a.outHeight; r++) {
      const sourceRow = b * a.inHeight + nearest(r, rowScale, a.inHeight, a.alignCorners);
      for (let c = 0; c < a.outWidth; c++) {
        const sourceCol = nearest(c, colScale, a.inWidth, a.alignCorners);
        const dxOffset = (sourceRow * a.inWidth + sourceCol) * a.depth;
        for (let d = 0; d < a.depth; d++) dx[dxOffset + d] += dyValues[dyIndex++] as number;
      }
    }
  }
  return cpu.makeTensorInfo(images.shape, 'float32', dx);
};

export const resizeNearestNeighborGradPatch: KernelPatch = {
  config: {
    kernelName: tf.ResizeNearestNeighborGrad,
    backendName: 'cpu',
    kernelFunc: resizeNearestNeighborGrad,
  },
  kind: 'replace',
  why:
    "tfjs-backend-cpu's ResizeNearestNeighborGrad reads batch 0's gradient for every batch " +
    'element, so upSampling2d trains wrongly with batches larger than one.',
  upstream:
    'tfjs-backend-cpu/src/kernels/ResizeNearestNeighborGrad.ts, resizeNearestNeighborGrad ' +
    '(dyROffset starts from the images’ batchOffset)',
};
