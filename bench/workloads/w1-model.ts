/**
 * The W1 model written directly in tfjs: the seed's 784-128-64-32-16 autoencoder and its mirror,
 * ReLU, Sigmoid output; shared by the single-thread trainer and the data-parallel workers.
 */
import * as tf from '@tensorflow/tfjs';
import { dense } from '../../src/ops/dense.js';
import { densePlainGrad } from './dense-plain-grad.js';
import type { MnistImages } from './mnist-idx.js';
import type { W1Levers } from './w1-types.js';

const ENCODER = [784, 128, 64, 32, 16];
const SIZES = [...ENCODER, ...ENCODER.slice(0, -1).reverse()];

/** Weights and biases of all layers: the length of a flat gradient vector. */
export function parameterCount(): number {
  let total = 0;
  for (let i = 0; i < SIZES.length - 1; i++)
    total += ((SIZES[i] as number) + 1) * (SIZES[i + 1] as number);
  return total;
}

export interface Dense {
  readonly w: tf.Variable;
  readonly b: tf.Variable;
}

/** PyTorch's nn.Linear default: U(−1/√fanIn, 1/√fanIn) for weights and bias, for parity. */
export function buildLayers(seed: number): Dense[] {
  const layers: Dense[] = [];
  for (let i = 0; i < SIZES.length - 1; i++) {
    const fanIn = SIZES[i] as number;
    const fanOut = SIZES[i + 1] as number;
    const bound = 1 / Math.sqrt(fanIn);
    layers.push({
      w: tf.tidy(() =>
        tf.variable(tf.randomUniform([fanIn, fanOut], -bound, bound, 'float32', seed + 2 * i)),
      ),
      b: tf.tidy(() =>
        tf.variable(tf.randomUniform([fanOut], -bound, bound, 'float32', seed + 2 * i + 1)),
      ),
    });
  }
  return layers;
}

export function forward(layers: Dense[], x: tf.Tensor2D, levers: W1Levers): tf.Tensor2D {
  let h = x;
  layers.forEach((layer, i) => {
    const last = i === layers.length - 1;
    const w = layer.w as tf.Tensor2D;
    const b = layer.b as tf.Tensor1D;
    if (levers.denseOp) {
      // mmae's dense op: one kernel each way for the weights, one for the input's gradient,
      // which the first layer never runs (the images are data).
      h = dense(h, w, b, { activation: last ? 'sigmoid' : 'relu' });
    } else if (levers.plainGrad) {
      h = densePlainGrad[last ? 'linear' : 'relu'](h, w, b);
      if (last) h = tf.sigmoid(h) as tf.Tensor2D;
    } else if (levers.fused) {
      // Fused sigmoid has no gradient in tfjs 4.22, so the output layer fuses only the bias.
      const activation = last ? 'linear' : 'relu';
      h = tf.fused.matMul({ a: h, b: w, bias: b, activation }) as tf.Tensor2D;
      if (last) h = tf.sigmoid(h) as tf.Tensor2D;
    } else {
      const z = tf.add(tf.matMul(h, w), b) as tf.Tensor2D;
      h = last ? tf.sigmoid(z) : tf.relu(z);
    }
  });
  return h;
}

/** Mean squared error over all test pixels and images. */
export function evaluateMse(layers: Dense[], test: MnistImages, levers: W1Levers): number {
  const { pixels, count, size } = test;
  const chunk = 1000;
  let sum = 0;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    sum += tf.tidy(() => {
      const x = tf.tensor2d(pixels.subarray(from * size, to * size), [to - from, size]);
      return forward(layers, x, levers).sub(x).square().sum().dataSync()[0] as number;
    });
  }
  return sum / (count * size);
}
