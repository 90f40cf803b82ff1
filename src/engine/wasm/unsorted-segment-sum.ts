/**
 * UnsortedSegmentSum on wasm, which tfjs-backend-wasm 4.22 lacks; the gradient of gather (so of
 * every embedding layer) needs it. The cpu kernel loops over segments with a mask per segment,
 * O(segments x rows x width), which is slow for a vocabulary of thousands; this is one pass that
 * adds each row into its segment.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';

const unsortedSegmentSum: tf.KernelFunc = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: tf.TensorInfo; segmentIds: tf.TensorInfo };
  const numSegments = Number(attrs?.['numSegments']);
  const wasm = backend as WasmKernelBackend;
  const ids = wasm.readSync(segmentIds.dataId) as Int32Array;
  const values = wasm.readSync(x.dataId) as Float32Array | Int32Array;
  const rows = ids.length;
  const width = rows === 0 ? 0 : values.length / rows;
  const sums =
    x.dtype === 'int32'
      ? new Int32Array(numSegments * width)
      : new Float32Array(numSegments * width);
  for (let row = 0; row < rows; row++) {
    const segment = ids[row] as number;
    // Like TensorFlow, ids outside [0, numSegments) are dropped.
    if (segment < 0 || segment >= numSegments) continue;
    const from = row * width;
    const to = segment * width;
    for (let i = 0; i < width; i++) sums[to + i] += values[from + i] as number;
  }
  const shape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const out = wasm.makeOutput(shape, x.dtype);
  wasm.typedArrayFromHeap(out).set(sums);
  return out;
};

export const unsortedSegmentSumPatch: KernelPatch = {
  config: {
    kernelName: tf.UnsortedSegmentSum,
    backendName: 'wasm',
    kernelFunc: unsortedSegmentSum,
  },
  kind: 'missing',
  why:
    'tfjs-backend-wasm has no UnsortedSegmentSum; the gradient of gather (embedding layers) ' +
    'needs it (computed here in one pass over the rows).',
  upstream: 'tfjs-backend-wasm/src/register_all_kernels.ts (no such kernel)',
};
