import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunError, UsageError } from '../../src/errors/errors.js';
import { coherence, coherenceByClass } from '../../src/eval/coherence.js';
import { loadDigitClassifier, trainDigitClassifier } from '../../src/eval/digit-classifier.js';
import { readMnist } from './mnist-subset.js';
import { useWasmBackend } from './wasm-backend.js';

beforeAll(useWasmBackend);

describe('coherence', () => {
  it('is the share of generated samples classified as their input class', () => {
    expect(coherence([1, 2, 3, 3], [1, 2, 3, 4])).toBe(0.75);
    expect(coherence(Int32Array.from([0]), Int32Array.from([0]))).toBe(1);
  });

  it('breaks coherence down by input class', () => {
    const byClass = coherenceByClass([0, 1, 1, 2, 0], [0, 0, 1, 2, 2]);
    expect([...byClass]).toEqual([
      [0, 0.5],
      [1, 1],
      [2, 0.5],
    ]);
  });

  it('rejects mismatched and empty inputs', () => {
    expect(() => coherence([1], [1, 2])).toThrow(/1 predictions for 2 input labels/);
    expect(() => coherence([], [])).toThrow(UsageError);
  });
});

describe('trainDigitClassifier', () => {
  const shape = [28, 28, 1] as const;

  it('reaches over 90 % test accuracy on a 5k/1k MNIST subset, round-trips through JSON and keeps numTensors flat', async () => {
    const train = readMnist('train', 5000);
    const test = readMnist('t10k', 1000);
    const before = tf.memory().numTensors;
    const classifier = await trainDigitClassifier(train.images, train.labels, shape, { seed: 1 });
    expect(classifier.epochLoss.at(-1)).toBeLessThan(classifier.epochLoss[0] as number);
    const accuracy = classifier.accuracy(test.images, test.labels);
    expect(accuracy).toBeGreaterThan(0.9);

    const json = JSON.parse(JSON.stringify(classifier.toJSON())) as unknown;
    const loaded = loadDigitClassifier(json);
    expect(loaded.predict(test.images)).toEqual(classifier.predict(test.images));
    expect(coherence(loaded.predict(test.images), test.labels)).toBeCloseTo(accuracy, 10);

    classifier.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects features that do not match the declared shape', async () => {
    await expect(
      trainDigitClassifier(new Float32Array(100), Int32Array.from([0, 1]), shape),
    ).rejects.toThrow(/not a non-empty whole number of rows of dim 784/);
  });

  it('refuses weights that are not a classifier record, naming the file', () => {
    expect(() => loadDigitClassifier({ format: 'pickle' }, 'runs/a/classifier.json')).toThrow(
      RunError,
    );
    expect(() => loadDigitClassifier({ format: 'pickle' }, 'runs/a/classifier.json')).toThrow(
      /runs\/a\/classifier.json/,
    );
    const bad = {
      format: 'mmae-digit-classifier@1',
      inputShape: [2],
      hidden: 2,
      classes: 2,
      inputMean: 0,
      inputScale: 1,
      w1: [1, 2, 3],
      b1: [0, 0],
      w2: [1, 2, 3, 4],
      b2: [0, 0],
    };
    expect(() => loadDigitClassifier(bad)).toThrow(/field w1 has 3 values, expected 4/);
  });
});
