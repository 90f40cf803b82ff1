import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { imageMetrics, perSampleMse, psnrFromMse } from '../../../plugins/image/metrics.js';
import { useWasmBackend } from '../../support/backend.js';

describe('image metrics', () => {
  beforeAll(useWasmBackend);

  it('computes MSE per sample over all pixels', () => {
    const target = tf.tensor4d([0, 0, 0, 0, 1, 1, 1, 1], [2, 2, 2, 1]);
    const features = tf.tensor4d([0.5, 0.5, 0, 0, 1, 1, 1, 0], [2, 2, 2, 1]);
    const mse = perSampleMse(target, features);
    expect(Array.from(mse)).toEqual([0.125, 0.25]);
    tf.dispose([target, features]);
  });

  it('gives PSNR 10·log10(1/MSE) for unit peak, capped at 100 dB for exact copies', () => {
    expect(psnrFromMse(0.01)).toBeCloseTo(20, 6);
    expect(psnrFromMse(0.001)).toBeCloseTo(30, 6);
    expect(psnrFromMse(0)).toBe(100);
  });

  it('reports batch means of per-sample MSE and PSNR as plain numbers, leaking no tensors', () => {
    const target = tf.zeros([2, 2, 2, 1]);
    const features = tf.tensor4d([0.1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.01, 0.01], [2, 2, 2, 1]);
    const before = tf.memory().numTensors;
    const { mse, psnr } = imageMetrics(target, features);
    expect(tf.memory().numTensors).toBe(before);
    expect(mse).toBeCloseTo((0.01 + 0.0001) / 2, 6);
    expect(psnr).toBeCloseTo((20 + 40) / 2, 3);
    tf.dispose([target, features]);
  });
});
