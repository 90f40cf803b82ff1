/**
 * The wasm Conv2DBackpropInput patch (one forward convolution over the dilated, padded dy) gives
 * the cpu backend's input gradients for strided, padded, rectangular and 1-D convolutions.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import { largestGap, onCpu } from '../../support/cpu-reference.js';
import { appliedKernelPatches } from '../../../src/engine/index.js';

beforeAll(async () => {
  await useWasmBackend();
});

describe('the wasm Conv2DBackpropInput patch', () => {
  it('is in effect on wasm', () => {
    const names = appliedKernelPatches('wasm').map((p) => p.kernelName);
    expect(names).toContain(tf.Conv2DBackpropInput);
  });

  const cases: [string, Shape, Shape, [number, number], 'same' | 'valid'][] = [
    ['stride 1, same', [2, 7, 6, 3], [3, 3, 3, 4], [1, 1], 'same'],
    ['stride 2, same, odd size', [2, 7, 9, 3], [3, 3, 3, 4], [2, 2], 'same'],
    ['stride 2, valid', [3, 9, 8, 2], [3, 2, 2, 5], [2, 2], 'valid'],
    ['stride (1, 3), same, wide filter', [2, 5, 13, 3], [1, 5, 3, 2], [1, 3], 'same'],
    ['conv1d-like: height 1, stride 2, width 5', [4, 1, 63, 6], [1, 5, 6, 8], [1, 2], 'same'],
  ];
  type Shape = [number, number, number, number];

  it.each(cases)('%s matches cpu', async (_, xShape, filterShape, strides, pad) => {
    const filter = tf.randomNormal(filterShape, 0, 1, 'float32', 1) as tf.Tensor4D;
    const probe = tf.conv2d(tf.zeros(xShape) as tf.Tensor4D, filter, strides, pad);
    const dy = tf.randomNormal(probe.shape, 0, 1, 'float32', 2) as tf.Tensor4D;
    probe.dispose();
    const before = tf.memory().numTensors;
    const gradient = () => tf.conv2dTranspose(dy, filter, xShape, strides, pad);
    const wasm = tf.tidy(gradient);
    expect(wasm.shape).toEqual(xShape);
    const values = (await wasm.data()) as Float32Array;
    wasm.dispose();
    expect(largestGap(values, await onCpu(gradient))).toBeLessThan(1e-4);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([filter, dy]);
  });

  it('gives a strided conv1d layer the same input gradient as cpu', async () => {
    const x = tf.randomNormal([3, 20, 4], 0, 1, 'float32', 3) as tf.Tensor3D;
    const kernel = tf.randomNormal([5, 4, 6], 0, 1, 'float32', 4) as tf.Tensor3D;
    const inputGradient = () =>
      tf.grad((input) => tf.sum(tf.square(tf.conv1d(input as tf.Tensor3D, kernel, 2, 'same'))))(x);
    const wasm = tf.tidy(inputGradient);
    const values = (await wasm.data()) as Float32Array;
    wasm.dispose();
    expect(largestGap(values, await onCpu(inputGradient))).toBeLessThan(1e-3);
    tf.dispose([x, kernel]);
  });
});
