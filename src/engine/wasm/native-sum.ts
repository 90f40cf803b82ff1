/**
 * Sum on wasm over a block of consecutive axes that are not the last, computed by mmae's native
 * kernels in place. tfjs-backend-wasm first moves reduced axes last with a Transpose kernel: the
 * gradient of a broadcast add over a [384, 8, 128] sequence batch (position and bias gradients)
 * took ~1 ms this way, twice per step of the main job's caption decoder. Trailing-axis sums,
 * other dtypes and scattered axes stay on the backend's own kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { nativeKernels, type NativeKernels } from '../native/native-kernels.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

/** Below this many values per output row, the backend's own Sum is as fast. */
const MIN_INNER = 8;

function nativeSum(kernels: NativeKernels, original: tf.KernelConfig): tf.KernelFunc {
  return (args) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const { axis, keepDims } = args.attrs as unknown as {
      axis: number | number[];
      keepDims: boolean;
    };
    const shape = x.shape;
    const axes = [...new Set(tf.util.parseAxisParam(axis, [...shape]))].sort((a, b) => a - b);
    const first = axes[0];
    const last = axes.at(-1);
    const consecutive = axes.every((a, i) => i === 0 || a === axes[i - 1]! + 1);
    if (x.dtype !== 'float32' || first === undefined || last === undefined || !consecutive) {
      return original.kernelFunc(args);
    }
    const inner = tf.util.sizeFromShape(shape.slice(last + 1));
    if (inner < MIN_INNER) return original.kernelFunc(args);
    const outShape = keepDims
      ? shape.map((d, i) => (axes.includes(i) ? 1 : d))
      : shape.filter((_, i) => !axes.includes(i));
    // Allocate the output before reading the heap: a malloc may grow (and move) it.
    const out = (args.backend as unknown as WasmKernelBackend).makeOutput(outShape, 'float32');
    const heap = wasmHeap(args.backend);
    kernels.sumMiddle(
      heap.buffer,
      heap.offset(x),
      heap.offset(out),
      tf.util.sizeFromShape(shape.slice(0, first)),
      tf.util.sizeFromShape(shape.slice(first, last + 1)),
      inner,
    );
    return out;
  };
}

let patch: KernelPatch | undefined;

/** Made from tfjs-backend-wasm's own Sum; none when the native kernels are off or not built. */
export function nativeSumPatches(original: tf.KernelConfig | undefined): KernelPatch[] {
  const kernels = nativeKernels();
  if (!kernels || !original) return [];
  patch ??= {
    config: { ...original, kernelFunc: nativeSum(kernels, original) },
    kind: 'faster',
    why:
      `mmae native kernel (${kernels.isa()}): Sum over leading or middle axes in place; ` +
      "tfjs-backend-wasm's transposes the reduced axes last first (~1 ms for a [384, 8, 128] " +
      'gradient).',
    upstream: 'tfjs-backend-wasm/src/kernels/Sum.ts, sum (its permuteAxesAndTranspose)',
  };
  return [patch];
}
