/**
 * A dense layer as one op, y = act(x·W + b). Where mmae has the kernels (the native kernels on
 * wasm) it is one kernel forward and, backward, one for the weights' gradients and one for the
 * input's, which runs only when something asks for it: a first layer's input is data, and tfjs's
 * tape asks for the gradients of what depends on the variables only. Elsewhere it is tfjs's fused
 * matMul and its gradient. Same values either way; the kernels only save dispatch, which on wasm
 * costs as much as the arithmetic of a small layer, and the dx of data inputs.
 */
import * as tf from '@tensorflow/tfjs';
import {
  DENSE_GRAD_KERNEL,
  DENSE_KERNEL,
  type DenseAttrs,
  type DenseGradAttrs,
} from './kernels.js';

export type DenseActivation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'sigmoid' | 'elu';

export interface DenseOptions {
  readonly activation?: DenseActivation;
  /** Slope of leakyrelu below zero (tfjs's default 0.2). */
  readonly leakyreluAlpha?: number;
}

/** tfjs's fused matMul (tfjs 4.22 has no gradient for a fused sigmoid, so that one is applied after). */
function fusedDense(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D | undefined,
  options: DenseOptions,
) {
  const activation = options.activation ?? 'linear';
  const fused = activation === 'sigmoid' ? 'linear' : activation;
  const z = tf.fused.matMul({
    a: x,
    b: w,
    bias: b,
    activation: fused,
    leakyreluAlpha: options.leakyreluAlpha,
  }) as tf.Tensor2D;
  return activation === 'sigmoid' ? (tf.sigmoid(z) as tf.Tensor2D) : z;
}

let gradientRegistered = false;

/**
 * MmaeDense's gradient, registered once: the weights' part at once (a layer's weights are what
 * training asks for), the input's as a thunk the tape calls only when x depends on what it
 * differentiates. What nothing asks for is freed with the backward pass's other intermediates.
 */
function registerDenseGradient(): void {
  if (gradientRegistered) return;
  tf.registerGradient({
    kernelName: DENSE_KERNEL,
    inputsToSave: ['x', 'w'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, w, y] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
      const inputs = { x, w, y, dy: dy as tf.Tensor };
      const part = (parts: DenseGradAttrs['parts']) =>
        tf.engine().runKernel(DENSE_GRAD_KERNEL, inputs, {
          ...attrs,
          parts,
        } as unknown as tf.NamedAttrMap) as tf.Tensor[];
      const [dw, db] = part('weights') as [tf.Tensor, tf.Tensor];
      return { x: () => part('input')[0]!, w: () => dw, bias: () => db };
    },
  });
  gradientRegistered = true;
}

/** x·W + b through `activation`; b may be omitted (a layer without bias). */
export function dense(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D | undefined,
  options: DenseOptions = {},
): tf.Tensor2D {
  if (tf.getKernel(DENSE_KERNEL, tf.getBackend()) === undefined) {
    return fusedDense(x, w, b, options);
  }
  registerDenseGradient();
  const attrs: DenseAttrs = {
    activation: options.activation ?? 'linear',
    leakyreluAlpha: options.leakyreluAlpha ?? 0.2,
  };
  return tf
    .engine()
    .runKernel(
      DENSE_KERNEL,
      b ? { x, w, bias: b } : { x, w },
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor2D;
}
