import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../src/errors/errors.js';
import { linearProbe, type LabelledCodes } from '../../../src/evaluation/metrics/linear-probe.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { useWasmBackend } from '../../support/backend.js';

beforeAll(useWasmBackend);

const dim = 5;

/** Four Gaussian blobs, linearly separable, on features of very different scales. */
function blobs(n: number, seed: number): LabelledCodes {
  const rng = new SeededRandom(seed);
  const centres = [
    [3, 0, 0, 0, 0],
    [0, 3, 0, 0, 0],
    [0, 0, 3, 0, 0],
    [-3, -3, -3, 0, 0],
  ];
  const scale = [1, 10, 0.1, 100, 1]; // standardisation must cope with this
  const codes = new Float32Array(n * dim);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const c = rng.int(4);
    labels[i] = c;
    for (let j = 0; j < dim; j++)
      codes[i * dim + j] =
        (((centres[c] as number[])[j] as number) + rng.normal() * 0.7) * (scale[j] as number);
  }
  return { codes, labels };
}

describe('linearProbe', () => {
  it('classifies linearly separable blobs above 95 % with a falling training loss', async () => {
    const before = tf.memory().numTensors;
    const result = await linearProbe(blobs(600, 1), blobs(300, 2), dim, { epochs: 40, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.testAccuracy).toBeGreaterThan(0.95);
    expect(result.trainAccuracy).toBeGreaterThan(0.95);
    expect(result.classes).toBe(4);
    expect(result.trainLoss.at(-1)).toBeLessThan((result.trainLoss[0] as number) * 0.5);
    expect(result.bestEpoch).toBeGreaterThan(0);
    expect(result.bestEpoch).toBeLessThanOrEqual(result.epochsRun);
  });

  it('gives identical results for the same seed', async () => {
    const options = { epochs: 5, seed: 9, batchSize: 64 };
    const a = await linearProbe(blobs(200, 4), blobs(100, 5), dim, options);
    const b = await linearProbe(blobs(200, 4), blobs(100, 5), dim, options);
    expect(a).toEqual(b);
  });

  it('stops early once the held-out loss stops improving', async () => {
    // Random labels: nothing to learn, so the held-out loss stops improving almost at once.
    const rng = new SeededRandom(6);
    const train = blobs(300, 6);
    const noise = { codes: train.codes, labels: Int32Array.from(train.labels, () => rng.int(4)) };
    const result = await linearProbe(noise, blobs(50, 7), dim, {
      epochs: 200,
      patience: 3,
      validationShare: 0.3,
    });
    expect(result.epochsRun).toBeLessThan(200);
    expect(result.epochsRun - result.bestEpoch).toBe(3);
  });

  it('trains full batch when batchSize is 0 and without early stopping when validationShare is 0', async () => {
    const result = await linearProbe(blobs(200, 8), blobs(100, 9), dim, {
      epochs: 60,
      batchSize: 0,
      validationShare: 0,
      learningRate: 0.1,
    });
    expect(result.epochsRun).toBe(60);
    expect(Number.isNaN(result.validationAccuracy)).toBe(true);
    expect(result.testAccuracy).toBeGreaterThan(0.95);
  });

  it('rejects mismatched labels and bad options before allocating tensors', async () => {
    const before = tf.memory().numTensors;
    const train = blobs(20, 1);
    await expect(
      linearProbe({ ...train, labels: train.labels.subarray(1) }, train, dim),
    ).rejects.toThrow(/train.labels has 19 entries for 20 rows/);
    await expect(linearProbe(train, train, dim, { epochs: 0 })).rejects.toThrow(UsageError);
    await expect(linearProbe(train, train, 3)).rejects.toThrow(/dim 3/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
