/**
 * A 2-D convolution layer as one op, y = act(conv2d(x, filter) + b), NHWC. Where mmae has the
 * kernels (the native kernels on wasm) it is one kernel forward and, backward, one for the
 * weights' gradients (filter and bias) and one for the input's, which runs only when something
 * asks for it (a first layer's input is data). tfjs's own fused conv2d does not fuse while
 * gradients are recorded, so a ReLU conv layer trains as conv, bias add and ReLU forward and
 * step, cast, multiply and a sum backward: six elementwise passes over the layer's output, each
 * on one thread. Elsewhere this op is tfjs's fused conv2d and its gradient. Same values either
 * way, to float rounding (the bias gradient is summed in another order). Dilated convolutions
 * are tfjs's fused conv2d everywhere (tfjs has no gradient for them).
 */
import * as tf from '@tensorflow/tfjs';
import {
  CONV2D_GRAD_KERNEL,
  CONV2D_KERNEL,
  type Conv2DAttrs,
  type Conv2DGradAttrs,
} from './kernels.js';
import type { DenseActivation } from './dense.js';

export interface Conv2DOptions {
  readonly strides: number | [number, number];
  readonly pad: 'same' | 'valid';
  readonly dilations?: number | [number, number];
  readonly activation?: DenseActivation;
  /** Slope of leakyrelu below zero (tfjs's default 0.2). */
  readonly leakyreluAlpha?: number;
}

const pair = (v: number | [number, number]): [number, number] =>
  typeof v === 'number' ? [v, v] : v;

let gradientRegistered = false;

/** MmaeConv2D's gradient, registered once: the weights' part at once, the input's as a thunk. */
function registerConv2DGradient(): void {
  if (gradientRegistered) return;
  tf.registerGradient({
    kernelName: CONV2D_KERNEL,
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const inputs = { x, filter, y, dy: dy as tf.Tensor };
      const part = (parts: Conv2DGradAttrs['parts']) =>
        tf.engine().runKernel(CONV2D_GRAD_KERNEL, inputs, {
          ...attrs,
          parts,
        } as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const [dw, db] = part('weights') as [tf.Tensor, tf.Tensor];
      return { x: () => part('input')[0]!, filter: () => dw, bias: () => db };
    },
  });
  gradientRegistered = true;
}

/** conv2d(x, filter) + b through `activation`; b may be omitted (a layer without bias). */
export function conv2d(
  x: tf.Tensor4D,
  filter: tf.Tensor4D,
  b: tf.Tensor1D | undefined,
  options: Conv2DOptions,
): tf.Tensor4D {
  const attrs: Conv2DAttrs = {
    strides: pair(options.strides),
    pad: options.pad,
    dilations: pair(options.dilations ?? 1),
    activation: options.activation ?? 'linear',
    leakyreluAlpha: options.leakyreluAlpha ?? 0.2,
  };
  // Dilated: tfjs's fused conv2d, whose gradient refuses dilation (so there is nothing to match).
  const dilated = attrs.dilations[0] !== 1 || attrs.dilations[1] !== 1;
  if (dilated || tf.getKernel(CONV2D_KERNEL, tf.getBackend()) === undefined) {
    return tf.fused.conv2d({
      x,
      filter,
      strides: attrs.strides,
      pad: attrs.pad,
      dataFormat: 'NHWC',
      dilations: attrs.dilations,
      bias: b,
      activation: attrs.activation as tf.fused.Activation,
      leakyreluAlpha: attrs.leakyreluAlpha,
    });
  }
  registerConv2DGradient();
  return tf
    .engine()
    .runKernel(
      CONV2D_KERNEL,
      b ? { x, filter, bias: b } : { x, filter },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor4D;
}
