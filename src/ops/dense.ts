/**
 * A dense layer as one op, y = act(x·W + b), whose gradient is one kernel where mmae has one
 * (MmaeDenseGrad: the native kernels on wasm) and tfjs's fused matMul gradient elsewhere.
 * Same values either way; the one-kernel gradient only saves dispatch, which on wasm costs as
 * much as the arithmetic of a small layer.
 */
import * as tf from '@tensorflow/tfjs';
import { DENSE_GRAD_KERNEL, type DenseGradAttrs } from '../backend/wasm-kernels/dense-grad.js';

export type DenseActivation = 'linear' | 'relu' | 'relu6' | 'leakyrelu' | 'sigmoid' | 'elu';

export interface DenseOptions {
  readonly activation?: DenseActivation;
  /** Slope of leakyrelu below zero (tfjs's default 0.2). */
  readonly leakyreluAlpha?: number;
  /**
   * False when x is data rather than the output of something trained (a first layer): where the
   * one-kernel gradient runs, x's gradient is then not computed and reads as zeros. Default true.
   */
  readonly inputGradient?: boolean;
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

/** x·W + b through `activation`; b may be omitted (a layer without bias). */
export function dense(
  x: tf.Tensor2D,
  w: tf.Tensor2D,
  b: tf.Tensor1D | undefined,
  options: DenseOptions = {},
): tf.Tensor2D {
  if (tf.getKernel(DENSE_GRAD_KERNEL, tf.getBackend()) === undefined) {
    return fusedDense(x, w, b, options);
  }
  const attrs: DenseGradAttrs = {
    activation: options.activation ?? 'linear',
    leakyreluAlpha: options.leakyreluAlpha ?? 0.2,
    inputGradient: options.inputGradient ?? true,
  };
  const op = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const save = args.pop() as tf.GradSaveFunc;
    const [xs, ws, bs] = args as [tf.Tensor, tf.Tensor, tf.Tensor | undefined];
    // The kernel itself: tf.fused.matMul would unfuse into three kernels while a gradient is
    // being recorded, and inside customGrad nothing of the forward pass is recorded anyway.
    const y = tf
      .engine()
      .runKernel('_FusedMatMul', bs ? { a: xs, b: ws, bias: bs } : { a: xs, b: ws }, {
        transposeA: false,
        transposeB: false,
        activation: attrs.activation,
        leakyreluAlpha: attrs.leakyreluAlpha,
      }) as tf.Tensor;
    save([xs, ws, y]);
    return {
      value: y,
      gradFunc: (dy: tf.Tensor | tf.Tensor[], saved: tf.Tensor[]) => {
        const [sx, sw, sy] = saved as [tf.Tensor, tf.Tensor, tf.Tensor];
        const [dx, dw, db] = tf
          .engine()
          .runKernel(
            DENSE_GRAD_KERNEL,
            { x: sx, w: sw, y: sy, dy: dy as tf.Tensor },
            attrs as unknown as tf.NamedAttrMap,
          ) as [tf.Tensor, tf.Tensor, tf.Tensor];
        // Without a bias its gradient is dropped here (the backward pass's tidy frees it).
        return bs ? [dx, dw, db] : [dx, dw];
      },
    };
  });
  return (b ? op(x, w, b) : op(x, w)) as tf.Tensor2D;
}
