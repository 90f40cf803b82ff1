/**
 * ResizeNearestNeighbor, ResizeBilinear, MaxPool and their gradients on wasm, computed by mmae's
 * native kernels (resize.cc, max-pool.cc) in place on the wasm heap, with tfjs-backend-cpu's
 * values: the same source pixels, the first maximum of a window on ties. The W5 conv VAE's two
 * ×2 upsamplings took 1.4–2.9 ms forward and 13–30 ms backward per step on tfjs-backend-wasm's
 * kernels, and MaxPoolGrad, borrowed from cpu for its wasm bug, 0.9–2.2 s at batch 128
 * (BENCHMARKS.md, "Native resize and pooling kernels"). MaxPoolGrad takes the output size from
 * dy, so a pool with dimRoundingMode gets its last window's gradient even though tfjs-core's
 * gradient drops the mode (cpu's kernel then loses that window). Every size, stride and padding
 * tfjs's ops accept is taken (NHWC float32); another dtype runs on the kernel this replaces, said
 * once (native-fallbacks.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import {
  nativeKernels,
  type NativeKernels,
  type PoolShapeNumbers,
  type ResizeShapeNumbers,
} from '../native/native-kernels.js';
import { borrowCpuKernel } from './borrow-cpu-kernel.js';
import { noteNativeFallback } from './native-fallbacks.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

interface ResizeAttrs {
  alignCorners?: boolean;
  halfPixelCenters?: boolean;
  size?: [number, number];
}

interface PoolAttrs {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
}

/** Says what the native kernel takes; undefined when it takes `inputs`. */
function notTaken(inputs: readonly tf.TensorInfo[]): string | undefined {
  const other = inputs.find((t) => t.dtype !== 'float32');
  if (other !== undefined) return `${other.dtype} tensors (float32 only)`;
  if (inputs.some((t) => t.shape.length !== 4)) return 'tensors other than 4-D NHWC';
  return undefined;
}

function resizeShape(
  images: readonly number[],
  resized: readonly number[],
  bilinear: boolean,
  attrs: ResizeAttrs,
): ResizeShapeNumbers {
  const [batch, inHeight, inWidth, channels] = images as [number, number, number, number];
  const [, outHeight, outWidth] = resized as [number, number, number];
  return [
    batch,
    inHeight,
    inWidth,
    channels,
    outHeight,
    outWidth,
    bilinear ? 1 : 0,
    attrs.alignCorners === true ? 1 : 0,
    attrs.halfPixelCenters === true ? 1 : 0,
  ];
}

type Fallback = tf.KernelFunc;

function resize(kernels: NativeKernels, bilinear: boolean, name: string, fallback: Fallback) {
  return (args: Parameters<tf.KernelFunc>[0]) => {
    const images = args.inputs['images'] as tf.TensorInfo;
    const attrs = args.attrs as unknown as ResizeAttrs;
    const reason = notTaken([images]);
    if (reason !== undefined || attrs.size === undefined) {
      noteNativeFallback(name, reason ?? 'a resize without a size');
      return fallback(args);
    }
    const [batch, , , channels] = images.shape as number[];
    const outShape = [batch!, attrs.size[0], attrs.size[1], channels!];
    // Allocate the output before reading the heap: a malloc may grow (and move) it.
    const out = (args.backend as unknown as WasmKernelBackend).makeOutput(outShape, 'float32');
    const heap = wasmHeap(args.backend);
    kernels.resize(
      heap.buffer,
      heap.offset(images),
      heap.offset(out),
      ...resizeShape(images.shape, outShape, bilinear, attrs),
    );
    return out;
  };
}

function resizeGrad(kernels: NativeKernels, bilinear: boolean, name: string, fallback: Fallback) {
  return (args: Parameters<tf.KernelFunc>[0]) => {
    const { images, dy } = args.inputs as Record<'images' | 'dy', tf.TensorInfo>;
    const reason = notTaken([images, dy]);
    if (reason !== undefined) {
      noteNativeFallback(name, reason);
      return fallback(args);
    }
    const dx = (args.backend as unknown as WasmKernelBackend).makeOutput(
      [...images.shape],
      'float32',
    );
    const heap = wasmHeap(args.backend);
    kernels.resizeGrad(
      heap.buffer,
      heap.offset(dx),
      heap.offset(dy),
      ...resizeShape(images.shape, dy.shape, bilinear, args.attrs as unknown as ResizeAttrs),
    );
    return dx;
  };
}

function poolShape(
  x: tf.TensorInfo,
  attrs: PoolAttrs,
): { numbers: PoolShapeNumbers; outShape: number[] } {
  const info = tf.backend_util.computePool2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterSize,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  return {
    outShape: info.outShape,
    numbers: [
      info.batchSize,
      info.inHeight,
      info.inWidth,
      info.inChannels,
      info.outHeight,
      info.outWidth,
      info.filterHeight,
      info.filterWidth,
      info.strideHeight,
      info.strideWidth,
      info.dilationHeight,
      info.dilationWidth,
      info.padInfo.top,
      info.padInfo.left,
    ],
  };
}

function maxPool(kernels: NativeKernels, fallback: Fallback) {
  return (args: Parameters<tf.KernelFunc>[0]) => {
    const x = args.inputs['x'] as tf.TensorInfo;
    const reason = notTaken([x]);
    if (reason !== undefined) {
      noteNativeFallback(tf.MaxPool, reason);
      return fallback(args);
    }
    const { numbers, outShape } = poolShape(x, args.attrs as unknown as PoolAttrs);
    const y = (args.backend as unknown as WasmKernelBackend).makeOutput(outShape, 'float32');
    const heap = wasmHeap(args.backend);
    kernels.maxPool(heap.buffer, heap.offset(x), heap.offset(y), ...numbers);
    return y;
  };
}

function maxPoolGrad(kernels: NativeKernels, fallback: Fallback) {
  return (args: Parameters<tf.KernelFunc>[0]) => {
    const { dy, input } = args.inputs as Record<'dy' | 'input', tf.TensorInfo>;
    const reason = notTaken([dy, input]);
    if (reason !== undefined) {
      noteNativeFallback(tf.MaxPoolGrad, reason);
      return fallback(args);
    }
    const { numbers } = poolShape(input, args.attrs as unknown as PoolAttrs);
    // The output size is dy's: tfjs's MaxPool gradient drops dimRoundingMode, so the size
    // computePool2DInfo gives here may be fractional (cpu's loops tolerate that; strides may not).
    numbers[4] = dy.shape[1]!;
    numbers[5] = dy.shape[2]!;
    const dx = (args.backend as unknown as WasmKernelBackend).makeOutput(
      [...input.shape],
      'float32',
    );
    const heap = wasmHeap(args.backend);
    kernels.maxPoolGrad(
      heap.buffer,
      heap.offset(input),
      heap.offset(dy),
      heap.offset(dx),
      ...numbers,
    );
    return dx;
  };
}

const COVERS = 'NHWC float32, every size, stride and padding tfjs accepts; other dtypes';
const WASM = 'tfjs-backend-wasm/src';

/** One native kernel: what it computes, what it falls back to, the tfjs code it stands in for. */
interface NativeRecord {
  readonly kernelName: string;
  readonly make: (kernels: NativeKernels, fallback: Fallback) => tf.KernelFunc;
  /** The kernel it falls back to; undefined when that is not registered (no patch then). */
  readonly fallback: () => Fallback | undefined;
  readonly fallbackName: string;
  readonly kind: 'faster' | 'replace';
  readonly what: string;
  readonly upstream: string;
}

const own = (name: string) => () => tf.getKernel(name, 'wasm')?.kernelFunc;
const RN = tf.ResizeNearestNeighbor;
const RNG = tf.ResizeNearestNeighborGrad;
const RB = tf.ResizeBilinear;
const RBG = tf.ResizeBilinearGrad;

const RECORDS: readonly NativeRecord[] = [
  {
    kernelName: RN,
    make: (k, f) => resize(k, false, RN, f),
    fallback: own(RN),
    fallbackName: `${WASM}/kernels/${RN}.ts`,
    kind: 'faster',
    what: 'nearest resize, a row of channels copied per pixel',
    upstream: `${WASM}/kernels/${RN}.ts, resizeNearestNeighbor`,
  },
  {
    kernelName: RNG,
    make: (k, f) => resizeGrad(k, false, RNG, f),
    fallback: own(RNG),
    fallbackName: `${WASM}/kernels/${RNG}.ts`,
    kind: 'faster',
    what: 'the nearest resize gradient, its exact adjoint, vectorised over channels',
    upstream: `${WASM}/cc/kernels/${RNG}.cc, ${RNG}`,
  },
  {
    kernelName: RB,
    make: (k, f) => resize(k, true, RB, f),
    fallback: own(RB),
    fallbackName: `${WASM}/kernels/${RB}.ts`,
    kind: 'faster',
    what: 'bilinear resize, vectorised over channels',
    upstream: `${WASM}/kernels/${RB}.ts, resizeBilinear`,
  },
  {
    kernelName: RBG,
    make: (k, f) => resizeGrad(k, true, RBG, f),
    fallback: own(RBG),
    fallbackName: `${WASM}/kernels/${RBG}.ts`,
    kind: 'faster',
    what: 'the bilinear resize gradient, its exact adjoint, vectorised over channels',
    upstream: `${WASM}/cc/kernels/${RBG}.cc, ${RBG}`,
  },
  {
    kernelName: tf.MaxPool,
    make: (k, f) => maxPool(k, f),
    fallback: own(tf.MaxPool),
    fallbackName: `${WASM}/kernels/MaxPool.ts`,
    kind: 'faster',
    what: 'max pooling, vectorised over channels',
    upstream: `${WASM}/kernels/MaxPool.ts, maxPool`,
  },
  {
    kernelName: tf.MaxPoolGrad,
    make: (k, f) => maxPoolGrad(k, f),
    fallback: () => borrowCpuKernel(tf.MaxPoolGrad).kernelFunc,
    fallbackName: 'the cpu kernel borrowed for wasm (borrowed-cpu-kernels.ts)',
    // tfjs-backend-wasm's own MaxPoolGrad is wrong; the native kernel stands in for it and for
    // the borrowed cpu kernel that fixed it, ~300× slower.
    kind: 'replace',
    what:
      "MaxPoolGrad to each window's first maximum, as cpu's; tfjs-backend-wasm's starts each " +
      "window's max at the smallest positive float, so windows of negative values lose their " +
      'gradient',
    upstream: `${WASM}/cc/kernels/MaxPoolGrad.cc, MaxPoolGrad (its max's initial value)`,
  },
];

let patches: KernelPatch[] | undefined;

/**
 * The six patches, each made from the kernel it falls back to; none when the native kernels are
 * off or not built. Call after @tensorflow/tfjs-backend-wasm is imported.
 */
export function nativeResizePoolPatches(): KernelPatch[] {
  if (patches) return patches;
  const kernels = nativeKernels();
  if (!kernels) return [];
  patches = RECORDS.flatMap((r) => {
    const fallback = r.fallback();
    if (fallback === undefined) return [];
    return [
      {
        config: {
          kernelName: r.kernelName,
          backendName: 'wasm',
          kernelFunc: r.make(kernels, fallback),
        },
        kind: r.kind,
        why: `mmae native kernel (${kernels.isa()}): ${r.what} (${COVERS} run on ${r.fallbackName}).`,
        upstream: r.upstream,
      },
    ];
  });
  return patches;
}
