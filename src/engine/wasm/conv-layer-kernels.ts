/**
 * MmaeConv2D and MmaeConv2DGrad: a conv layer y = act(conv2d(x, filter) + b) as a kernel of its
 * own (src/ops/conv2d.ts), so that training runs it as one native call forward (the bias and the
 * activation in the product's epilogue) and one backward per part: the activation's derivative,
 * the filter gradient and the bias gradient in one call for the weights, the input gradient in
 * another only when something asks for it. tfjs's fused conv2d does not fuse while gradients
 * are recorded, and its unfused layer is ~9 kernels, six of them elementwise passes over the
 * output on the JS thread (BENCHMARKS.md, "Issue #16"). Registered only when the native kernels
 * are built.
 */
import * as tf from '@tensorflow/tfjs';
import {
  CONV2D_GRAD_KERNEL,
  CONV2D_KERNEL,
  type Conv2DAttrs,
  type Conv2DGradAttrs,
} from '../../ops/kernels.js';
import type { NativeKernels } from '../native/native-kernels.js';
import { convShape, type Shape4 } from './native-conv2d.js';
import { nativeKernelPatches } from './native-kernel-patches.js';
import { NATIVE_ACTIVATIONS } from './native-matmul.js';
import type { WasmKernelBackend } from './run-wasm-kernel.js';
import { wasmHeap } from './wasm-heap.js';

/** Inputs x, filter and optionally bias: the wasm backend's FusedConv2D (the native conv). */
function conv2d(): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, filter, bias } = inputs as Record<
      'x' | 'filter' | 'bias',
      tf.TensorInfo | undefined
    >;
    const a = attrs as unknown as Conv2DAttrs;
    const fused = tf.getKernel(tf.FusedConv2D, 'wasm')!;
    return fused.kernelFunc({
      inputs: bias ? { x: x!, filter: filter!, bias } : { x: x!, filter: filter! },
      backend,
      attrs: {
        strides: a.strides,
        pad: a.pad,
        dataFormat: 'NHWC',
        dilations: a.dilations,
        activation: a.activation,
        leakyreluAlpha: a.leakyreluAlpha,
      },
    });
  };
}

function conv2dGrad(kernels: NativeKernels): tf.KernelFunc {
  return ({ inputs, backend, attrs }) => {
    const { x, filter, y, dy } = inputs as Record<'x' | 'filter' | 'y' | 'dy', tf.TensorInfo>;
    const a = attrs as unknown as Conv2DGradAttrs;
    const wasm = backend as unknown as WasmKernelBackend;
    const shape = convShape(x.shape as Shape4, filter.shape as Shape4, a);
    const input = a.parts === 'input';
    const weights = a.parts === 'weights';
    // Allocate every output before reading the heap: a malloc may grow (and move) it.
    const dx = input ? wasm.makeOutput([...x.shape], 'float32') : undefined;
    const dw = weights ? wasm.makeOutput([...filter.shape], 'float32') : undefined;
    const db = weights ? wasm.makeOutput([filter.shape[3]!], 'float32') : undefined;
    const heap = wasmHeap(backend);
    const at = (t: tf.TensorInfo | undefined) => (t ? heap.offset(t) : -1);
    kernels.conv2dLayerGrad(
      heap.buffer,
      at(x),
      at(filter),
      at(y),
      at(dy),
      at(dx),
      at(dw),
      at(db),
      NATIVE_ACTIVATIONS[a.activation] ?? 0,
      a.leakyreluAlpha,
      ...shape,
    );
    return [dx, dw, db].filter((t): t is tf.TensorInfo => t !== undefined);
  };
}

/** The kernel records, or none when the native kernels are off or not built. */
export const convLayerKernelPatches = nativeKernelPatches(
  (kernels) => ({ [CONV2D_KERNEL]: conv2d(), [CONV2D_GRAD_KERNEL]: conv2dGrad(kernels) }),
  'a conv layer (NHWC float32) in one call with its bias and activation, and backward one for ' +
    'its filter and bias (the activation’s derivative in the same call) and one for its input ' +
    "(only when something asks for it), instead of ~9 kernels of tfjs's unfused conv layer " +
    "(used by mmae's conv2d op).",
);
