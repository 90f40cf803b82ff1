/**
 * Conv2D, FusedConv2D, Conv2DBackpropInput and Conv2DBackpropFilter on wasm computed by mmae's
 * native kernels (conv2d.cc: im2col + the AVX-512/AVX2 GEMM; conv2d-direct.cc's loops for up
 * to 3 output channels, where that GEMM is mostly padding) in place on the wasm heap, for
 * NHWC float32 with any stride, padding ('same', 'valid', explicit) and dilation; FusedConv2D's
 * bias and activation (linear, relu, relu6, leakyrelu, sigmoid, elu) in the same call. Anything
 * else (NCHW, other dtypes, prelu, a bias that is not per-channel) runs the kernel each patch
 * replaces, and the first call of each such case says so once (native-fallbacks.ts, listed by `mmae doctor`).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelPatch } from '../patch.js';
import { nativeKernels, type NativeKernels } from '../native/native-kernels.js';
import { noteNativeFallback } from './native-fallbacks.js';
import { NATIVE_ACTIVATIONS } from './native-matmul.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

export type Shape4 = [number, number, number, number];

interface ConvAttrs {
  readonly strides: number | [number, number];
  readonly pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  readonly dataFormat?: 'NHWC' | 'NCHW';
  readonly dilations?: number | [number, number];
  readonly dimRoundingMode?: 'floor' | 'round' | 'ceil';
  readonly activation?: string;
  readonly leakyreluAlpha?: number;
  readonly inputShape?: Shape4;
  readonly filterShape?: Shape4;
}

/** What the patches' records say the native path does not take, for `mmae doctor`. */
export const NATIVE_CONV_FALLBACKS =
  'NCHW, dtypes other than float32, prelu and a bias that is not one value per output channel ' +
  'run the kernel this one replaces (said once per case on stderr and listed by `mmae doctor`, native-fallbacks.ts); depthwise and ' +
  'other convolutions are other kernels, untouched';

/** Why the native kernel does not take these tensors (the two 4-D operands first, then a bias), or undefined when it does. */
function unsupported(tensors: readonly tf.TensorInfo[], attrs: ConvAttrs): string | undefined {
  if (attrs.dataFormat === 'NCHW') return 'data format NCHW';
  const other = tensors.find((t) => t.dtype !== 'float32');
  if (other) return `dtype ${other.dtype}`;
  if (tensors.slice(0, 2).some((t) => t.shape.length !== 4)) return 'an input that is not 4-D';
  return undefined;
}

/** The 15 numbers of conv2d.cc's ConvShape. */
export function convShape(
  xShape: Shape4,
  filterShape: Shape4,
  attrs: Pick<ConvAttrs, 'strides' | 'pad' | 'dilations' | 'dimRoundingMode'>,
): number[] {
  const info = tf.backend_util.computeConv2DInfo(
    xShape,
    filterShape,
    attrs.strides,
    attrs.dilations ?? 1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  return [
    info.batchSize,
    info.inHeight,
    info.inWidth,
    info.inChannels,
    info.outHeight,
    info.outWidth,
    info.outChannels,
    info.filterHeight,
    info.filterWidth,
    info.strideHeight,
    info.strideWidth,
    info.dilationHeight,
    info.dilationWidth,
    info.padInfo.top,
    info.padInfo.left,
  ];
}

const outShape = (shape: number[]): number[] => [shape[0]!, shape[4]!, shape[5]!, shape[6]!];

function forward(kernels: NativeKernels, fallback: tf.KernelConfig): tf.KernelFunc {
  return (params) => {
    const { x, filter, bias, preluActivationWeights } = params.inputs as Record<
      string,
      tf.TensorInfo | undefined
    >;
    const attrs = params.attrs as unknown as ConvAttrs;
    const activation = NATIVE_ACTIVATIONS[attrs.activation ?? 'linear'];
    const outChannels = filter!.shape[3]!;
    const biasSize = bias ? bias.shape.reduce((p, d) => p * d, 1) : 0;
    const reason =
      unsupported(bias ? [x!, filter!, bias] : [x!, filter!], attrs) ??
      (activation === undefined || preluActivationWeights
        ? `activation ${attrs.activation}`
        : bias && biasSize !== 1 && biasSize !== outChannels
          ? `a bias of shape [${bias.shape.join(', ')}]`
          : undefined);
    if (reason !== undefined) {
      noteNativeFallback(fallback.kernelName, reason);
      return fallback.kernelFunc(params);
    }
    const shape = convShape(x!.shape as Shape4, filter!.shape as Shape4, attrs);
    // Allocate the output before reading the heap: a malloc may grow (and move) it.
    const out = (params.backend as unknown as WasmKernelBackend).makeOutput(
      outShape(shape),
      'float32',
    );
    const heap = wasmHeap(params.backend);
    kernels.conv2d(
      heap.buffer,
      heap.offset(x!),
      heap.offset(filter!),
      bias ? heap.offset(bias) : -1,
      biasSize,
      heap.offset(out),
      activation!,
      attrs.leakyreluAlpha ?? 0.2,
      ...shape,
    );
    return out;
  };
}

/** The two gradients differ only in which operands they read and which shape they write. */
interface GradientPart {
  readonly operands: readonly [string, string];
  /** [input shape, filter shape] of the forward convolution, and the output's shape. */
  shapes(a: tf.TensorInfo, b: tf.TensorInfo, attrs: ConvAttrs): [Shape4, Shape4, Shape4];
  run(kernels: NativeKernels): NativeKernels['conv2dBackpropInput'];
}

const INPUT_GRADIENT: GradientPart = {
  operands: ['dy', 'filter'],
  shapes: (_dy, filter, attrs) => [attrs.inputShape!, filter.shape as Shape4, attrs.inputShape!],
  run: (kernels) => kernels.conv2dBackpropInput,
};

const FILTER_GRADIENT: GradientPart = {
  operands: ['x', 'dy'],
  shapes: (x, _dy, attrs) => [x.shape as Shape4, attrs.filterShape!, attrs.filterShape!],
  run: (kernels) => kernels.conv2dBackpropFilter,
};

function gradient(part: GradientPart) {
  return (kernels: NativeKernels, fallback: tf.KernelConfig): tf.KernelFunc =>
    (params) => {
      const inputs = params.inputs as Record<string, tf.TensorInfo>;
      const [a, b] = part.operands.map((name) => inputs[name]!) as [tf.TensorInfo, tf.TensorInfo];
      const attrs = params.attrs as unknown as ConvAttrs;
      const reason = unsupported([a, b], attrs);
      if (reason !== undefined) {
        noteNativeFallback(fallback.kernelName, reason);
        return fallback.kernelFunc(params);
      }
      const [inputShape, filterShape, written] = part.shapes(a, b, attrs);
      const shape = convShape(inputShape, filterShape, attrs);
      const out = (params.backend as unknown as WasmKernelBackend).makeOutput(
        [...written],
        'float32',
      );
      const heap = wasmHeap(params.backend);
      part
        .run(kernels)
        .call(kernels, heap.buffer, heap.offset(a), heap.offset(b), heap.offset(out), ...shape);
      return out;
    };
}

const MAKERS: Readonly<Record<string, typeof forward>> = {
  [tf.Conv2D]: forward,
  [tf.FusedConv2D]: forward,
  [tf.Conv2DBackpropInput]: gradient(INPUT_GRADIENT),
  [tf.Conv2DBackpropFilter]: gradient(FILTER_GRADIENT),
};

const HOW =
  'NHWC float32 on the wasm heap, im2col + FMA GEMM (direct loops for up to 3 output channels)';

/** What each patch computes, completing "mmae native kernel (avx512): <kernel> …". */
const WHAT: Readonly<Record<string, string>> = {
  [tf.Conv2D]: `${HOW}, any stride, padding and dilation`,
  [tf.FusedConv2D]: `${HOW}, any stride, padding and dilation, bias and activation in the same call`,
  [tf.Conv2DBackpropInput]: `${HOW}, any stride and padding (tfjs's conv gradients take no dilation)`,
  [tf.Conv2DBackpropFilter]: `${HOW}, any stride and padding (tfjs's conv gradients take no dilation)`,
};

let patches: KernelPatch[] | undefined;

/**
 * The four patches, each made from the kernel it falls back to: the wasm package's Conv2D and
 * FusedConv2D (XNNPACK), and mmae's wasm gradient patches in `gradientFallbacks`. None when the
 * native kernels are off or not built (then the fallbacks stay as they are).
 */
export function nativeConv2DPatches(gradientFallbacks: readonly KernelPatch[]): KernelPatch[] {
  if (patches) return patches;
  const kernels = nativeKernels();
  if (!kernels) return [];
  const fallbacks = [
    tf.getKernel(tf.Conv2D, 'wasm'),
    tf.getKernel(tf.FusedConv2D, 'wasm'),
    ...gradientFallbacks.map((p) => p.config),
  ].filter((config): config is tf.KernelConfig => config !== undefined);
  patches = fallbacks.map((config) => ({
    config: { ...config, kernelFunc: MAKERS[config.kernelName]!(kernels, config) },
    kind: 'faster' as const,
    why: `mmae native kernel (${kernels.isa()}): ${config.kernelName} ${WHAT[config.kernelName]}; ${NATIVE_CONV_FALLBACKS}.`,
    upstream:
      config.kernelName === tf.Conv2DBackpropFilter
        ? 'tfjs-backend-wasm/src/register_all_kernels.ts (no such kernel; mmae’s wasm patch)'
        : `tfjs-backend-wasm/src/cc/kernels/${config.kernelName}.cc, ${config.kernelName}`,
  }));
  return patches;
}
