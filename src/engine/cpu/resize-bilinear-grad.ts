/**
 * ResizeBilinearGrad for cpu. tfjs-backend-cpu 4.22 computes the right values but returns them
 * with height and width swapped in the shape, so the gradient of a bilinear resize of a
 * non-square input fails tfjs's shape check. This spreads each dy cell over the four source
 * pixels with the forward pass's interpolation weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { kernelInputs, type CpuBackendLike } from './cpu-backend-like.js';
import { resizeGradArgs, resizeScale } from './resize-scales.js';

interface Taps {
  readonly low: number;
  readonly high: number;
  /** Weight of `high`; `low` gets 1 - lerp. */
  readonly lerp: number;
}

function taps(target: number, scale: number, inSize: number): Taps {
  const source = target * scale;
  const low = Math.floor(source);
  return { low, high: Math.min(Math.ceil(source), inSize - 1), lerp: source - low };
}

const resizeBilinearGrad: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { images, dy } = kernelInputs(inputs, ['images', 'dy'], tf.ResizeBilinearGrad);
  const cpu = backend as CpuBackendLike;
  const a = resizeGradArgs(images.shape, dy.shape, attrs?.['alignCorners']);
  const rowScale = resizeScale(a.inHeight, a.outHeight, a.alignCorners);
  const colScale = resizeScale(a.inWidth, a.outWidth, a.alignCorners);
  const dyValues = cpu.readSync(dy.dataId) as Float32Array;
  const dx = new Float32Array(a.batch * a.inHeight * a.inWidth * a.depth);
  const offset = (b: number, r: number, c: number) =>
    ((b * a.inHeight + r) * a.inWidth + c) * a.depth;
  let dyIndex = 0;
  for (let b = 0; b < a.batch; b++) {
    for (let r = 0; r < a.outHeight; r++) {
      const row = taps(r, rowScale, a.inHeight);
      for (let c = 0; c < a.outWidth; c++) {
        const col = taps(c, colScale, a.inWidth);
        const corners: [number, number][] = [
          [offset(b, row.low, col.low), (1 - row.lerp) * (1 - col.lerp)],
          [offset(b, row.low, col.high), (1 - row.lerp) * col.lerp],
          [offset(b, row.high, col.low), row.lerp * (1 - col.lerp)],
          [offset(b, row.high, col.high), row.lerp * col.lerp],
        ];
        for (let d = 0; d < a.depth; d++) {
          const value = dyValues[dyIndex++] as number;
          for (const [base, weight] of corners) dx[base + d] += value * weight;
        }
      }
    }
  }
  return cpu.makeTensorInfo(images.shape, 'float32', dx);
};

export const resizeBilinearGradPatch: KernelPatch = {
  config: { kernelName: tf.ResizeBilinearGrad, backendName: 'cpu', kernelFunc: resizeBilinearGrad },
  kind: 'replace',
  why:
    "tfjs-backend-cpu's ResizeBilinearGrad returns its gradient with height and width swapped, " +
    'so bilinear upsampling of non-square inputs cannot train.',
  upstream:
    'tfjs-backend-cpu/src/kernels/ResizeBilinearGrad.ts, resizeBilinearGrad (its output shape ' +
    '[batch, xWidth, xHeight, depth])',
};
