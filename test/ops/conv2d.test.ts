import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelsBuilt, useWasmBackend } from '../support/backend.js';
import { CONV2D_GRAD_KERNEL, CONV2D_KERNEL } from '../../src/ops/kernels.js';
import { conv2d, type Conv2DOptions } from '../../src/ops/conv2d.js';
import type { DenseActivation } from '../../src/ops/dense.js';
import { largestGap, onWasmAndCpu } from '../support/cpu-reference.js';
import { kernelsOf, trainingKernels } from '../support/kernels-of.js';

const activations: DenseActivation[] = ['linear', 'relu', 'relu6', 'leakyrelu', 'sigmoid', 'elu'];

type Shape4 = [number, number, number, number];
interface Case {
  readonly name: string;
  readonly x: Shape4;
  readonly filter: Shape4;
  readonly options: Omit<Conv2DOptions, 'activation'>;
  readonly bias: boolean;
}

const CASES: readonly Case[] = [
  {
    name: 'odd 9×11, same',
    x: [5, 9, 11, 3],
    filter: [3, 3, 3, 6],
    options: { strides: 1, pad: 'same' },
    bias: true,
  },
  {
    name: 'stride 2, same',
    x: [4, 13, 10, 4],
    filter: [3, 3, 4, 5],
    options: { strides: 2, pad: 'same' },
    bias: true,
  },
  {
    name: 'valid, strides 2×1, no bias',
    x: [3, 12, 9, 2],
    filter: [3, 2, 2, 4],
    options: { strides: [2, 1], pad: 'valid' },
    bias: false,
  },

  {
    name: 'one output channel (the direct loops)',
    x: [6, 10, 8, 5],
    filter: [3, 3, 5, 1],
    options: { strides: 1, pad: 'same' },
    bias: true,
  },
];

/** Output and the gradients of Σ (y ⊙ r) for x, filter and bias, all as flat arrays. */
function outputAndGradients(c: Case, activation: DenseActivation): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal(c.x, 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal(c.filter, 0, 0.5, 'float32', 2) as tf.Tensor4D;
    const b = tf.randomNormal([c.filter[3]], 0, 1, 'float32', 3) as tf.Tensor1D;
    const options = { ...c.options, activation };
    const y = conv2d(x, w, c.bias ? b : undefined, options);
    const r = tf.randomNormal(y.shape, 0, 1, 'float32', 4);
    const f = (xs: tf.Tensor, ws: tf.Tensor, bs: tf.Tensor) =>
      tf.sum(
        tf.mul(
          conv2d(
            xs as tf.Tensor4D,
            ws as tf.Tensor4D,
            c.bias ? (bs as tf.Tensor1D) : undefined,
            options,
          ),
          r,
        ),
      );
    const grads = tf.grads(f)(c.bias ? [x, w, b] : [x, w]);
    return [y, ...grads].map((t) => t.dataSync() as Float32Array);
  });
}

describe('the conv2d op', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it.each(CASES)(
    '$name gives the output and gradients it gives on cpu, every activation',
    async (c) => {
      for (const act of activations) {
        const [wasm, cpu] = await onWasmAndCpu(() => outputAndGradients(c, act));
        wasm.forEach((values, i) => {
          const scale = Math.max(1, ...Array.from(cpu[i]!, Math.abs));
          expect(largestGap(values, cpu[i]!) / scale).toBeLessThan(2e-5);
        });
      }
    },
  );

  it.skipIf(!nativeKernelsBuilt)(
    "is one kernel forward, and computes the input's gradient only when something asks for it",
    async () => {
      const x = tf.randomNormal([4, 8, 8, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const w = tf.variable(
        tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 6),
      ) as tf.Variable<tf.Rank.R4>;
      const b = tf.variable(tf.zeros([4])) as tf.Variable<tf.Rank.R1>;
      const loss = (xs: tf.Tensor) =>
        tf.sum(conv2d(xs as tf.Tensor4D, w, b, { strides: 1, pad: 'same', activation: 'relu' }));
      // Training: x is data, so only the weights' part runs.
      const before = tf.memory().numTensors;
      const training = await trainingKernels(() => loss(x) as tf.Scalar);
      expect(tf.memory().numTensors).toBe(before);
      expect(training.filter((n) => n === CONV2D_KERNEL)).toHaveLength(1);
      expect(training.filter((n) => n === CONV2D_GRAD_KERNEL)).toHaveLength(1);
      for (const unfused of ['Relu', 'Step', 'Conv2DBackpropFilter', 'Conv2DBackpropInput']) {
        expect(training).not.toContain(unfused);
      }
      // The gradient for x alone: the input's part runs too.
      const saliency = await kernelsOf(() => tf.grad(loss)(x));
      expect(tf.memory().numTensors).toBe(before);
      expect(saliency.filter((n) => n === CONV2D_GRAD_KERNEL)).toHaveLength(2);
      tf.dispose([x, w, b]);
    },
  );

  it.skipIf(!nativeKernelsBuilt)(
    'runs under tf.layers.conv2d while training, not in inference',
    async () => {
      const layer = tf.layers.conv2d({
        filters: 4,
        kernelSize: 3,
        padding: 'same',
        activation: 'relu',
      });
      const x = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7);
      layer.apply(x); // builds the weights
      const training = await trainingKernels(
        () => tf.sum(layer.apply(x) as tf.Tensor) as tf.Scalar,
      );
      expect(training).toContain(CONV2D_KERNEL);
      expect(training).toContain(CONV2D_GRAD_KERNEL);
      const inference = await kernelsOf(() => layer.apply(x) as tf.Tensor);
      expect(inference).not.toContain(CONV2D_KERNEL);
      tf.dispose(x);
      layer.dispose();
    },
  );
});
