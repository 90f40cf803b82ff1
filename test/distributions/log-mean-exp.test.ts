import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { logMeanExp } from '../../src/distributions/gaussian.js';
import { useWasmBackend } from '../support/backend.js';

beforeAll(useWasmBackend);

describe('logMeanExp', () => {
  it('averages in probability space and stays finite for very negative log weights', () => {
    const before = tf.memory().numTensors;
    const input = tf.tensor2d([
      [0, -10000],
      [Math.log(3), -10001],
    ]);
    const out = logMeanExp(input);
    const [a, b] = out.dataSync();
    expect(a).toBeCloseTo(Math.log(2), 5);
    expect(b).toBeCloseTo(-10000 + Math.log((1 + Math.exp(-1)) / 2), 2);
    tf.dispose([input, out]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('averages over the axis it is given', () => {
    const input = tf.tensor2d([
      [0, Math.log(3)],
      [-10000, -10001],
    ]);
    const out = logMeanExp(input, 1);
    expect(out.shape).toEqual([2]);
    const [a, b] = out.dataSync();
    expect(a).toBeCloseTo(Math.log(2), 5);
    expect(b).toBeCloseTo(-10000 + Math.log((1 + Math.exp(-1)) / 2), 2);
    tf.dispose([input, out]);
  });
});
