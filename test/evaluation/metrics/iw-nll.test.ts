import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ShapeError } from '../../../src/errors/errors.js';
import { importanceWeightedNll } from '../../../src/evaluation/metrics/iw-nll.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { useWasmBackend } from '../../support/backend.js';

beforeAll(useWasmBackend);

const LOG_2PI = Math.log(2 * Math.PI);
const logNormal = (x: number, mean: number, variance: number) =>
  -0.5 * (LOG_2PI + Math.log(variance) + (x - mean) ** 2 / variance);

/**
 * A linear-Gaussian "VAE" with a known marginal: z ~ N(0, 1), x | z ~ N(z, 1), so x ~ N(0, 2) and
 * the true posterior is N(x/2, 1/2). The encoder q(z|x) = N(x/2, qVariance).
 */
function gaussianModel(qVariance: number, seed: number) {
  const rng = new SeededRandom(seed);
  return (xs: number[], k: number): tf.Tensor => {
    const w = new Float32Array(k * xs.length);
    for (let s = 0; s < k; s++) {
      xs.forEach((x, i) => {
        const z = x / 2 + Math.sqrt(qVariance) * rng.normal();
        w[s * xs.length + i] =
          logNormal(x, z, 1) + logNormal(z, 0, 1) - logNormal(z, x / 2, qVariance);
      });
    }
    return tf.tensor2d(w, [k, xs.length]);
  };
}

const data = [
  [-1.5, 0.2, 0.9],
  [2.1, -0.4],
];
const trueNll = -data.flat().reduce((s, x) => s + logNormal(x, 0, 2), 0) / 5;

describe('importanceWeightedNll', () => {
  it('is exact for every K when the encoder is the true posterior', async () => {
    const result = await importanceWeightedNll(data, gaussianModel(0.5, 1), { k: 3 });
    expect(result.inputs).toBe(5);
    expect(result.nll).toBeCloseTo(trueNll, 4);
  });

  it('tightens towards the true NLL as K grows with a mismatched encoder', async () => {
    const at = async (k: number) =>
      (await importanceWeightedNll(data, gaussianModel(2, 7), { k })).nll;
    const k1 = await at(1);
    const k2000 = await at(2000);
    expect(Math.abs(k2000 - trueNll)).toBeLessThan(0.03);
    expect(k1 - trueNll).toBeGreaterThan(0.1);
  });

  it('gives the same estimate whether K is drawn in one pass or several, and keeps numTensors flat', async () => {
    const before = tf.memory().numTensors;
    const one = await importanceWeightedNll(data, gaussianModel(2, 3), { k: 50 });
    const split = await importanceWeightedNll(data, gaussianModel(2, 3), {
      k: 50,
      samplesPerPass: 7,
    });
    expect(tf.memory().numTensors).toBe(before);
    // Same draws in a different grouping: the per-pass draw order is samples-major in both.
    expect(split.nll).toBeCloseTo(one.nll, 4);
  });

  it('rejects a log-weight tensor that is not [k, batch] without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    await expect(
      importanceWeightedNll([[1, 2]], (xs) => tf.zeros([xs.length, 4]), { k: 4 }),
    ).rejects.toThrow(ShapeError);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects NaN log weights with a usage error naming the batch', async () => {
    await expect(
      importanceWeightedNll([[1]], (_xs, k) => tf.fill([k, 1], NaN), { k: 2 }),
    ).rejects.toThrow(/input 0 of batch 0/);
  });
});
