import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../../src/errors/errors.js';
import { loadClassJudge, trainClassJudge } from '../../../src/evaluation/metrics/class-judge.js';
import { coherence } from '../../../src/evaluation/metrics/coherence.js';
import { readMnist } from './mnist-subset.js';
import { useWasmBackend } from '../../support/backend.js';

beforeAll(useWasmBackend);

describe('trainClassJudge', () => {
  const shape = [28, 28, 1] as const;

  it('reaches over 90 % test accuracy on a 5k/1k MNIST subset, round-trips through JSON and keeps numTensors flat', async () => {
    const train = readMnist('train', 5000);
    const test = readMnist('t10k', 1000);
    const before = tf.memory().numTensors;
    const classifier = await trainClassJudge(train.images, train.labels, shape, { seed: 1 });
    expect(classifier.epochLoss.at(-1)).toBeLessThan(classifier.epochLoss[0] as number);
    const accuracy = classifier.accuracy(test.images, test.labels);
    expect(accuracy).toBeGreaterThan(0.9);

    const json = JSON.parse(JSON.stringify(classifier.toJSON())) as unknown;
    const loaded = loadClassJudge(json);
    expect(loaded.predict(test.images)).toEqual(classifier.predict(test.images));
    expect(coherence(loaded.predict(test.images), test.labels)).toBeCloseTo(accuracy, 10);

    classifier.dispose();
    loaded.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('rejects features that do not match the declared shape', async () => {
    await expect(
      trainClassJudge(new Float32Array(100), Int32Array.from([0, 1]), shape),
    ).rejects.toThrow(/not a non-empty whole number of rows of dim 784/);
  });

  it('loads a judge saved under its former format name, mmae-digit-classifier@1, and predicts alike', async () => {
    const train = readMnist('train', 200);
    const judge = await trainClassJudge(train.images, train.labels, shape, { seed: 2, epochs: 1 });
    const saved = judge.toJSON();
    expect(saved.format).toBe('mmae-class-judge@1');
    const former = loadClassJudge({ ...saved, format: 'mmae-digit-classifier@1' });
    expect(former.predict(train.images)).toEqual(judge.predict(train.images));
    judge.dispose();
    former.dispose();
  });

  it('refuses weights that are not a class-judge record, naming the file', () => {
    expect(() => loadClassJudge({ format: 'pickle' }, 'runs/a/classifier.json')).toThrow(RunError);
    expect(() => loadClassJudge({ format: 'pickle' }, 'runs/a/classifier.json')).toThrow(
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
    expect(() => loadClassJudge(bad)).toThrow(/field w1 has 3 values, expected 4/);
    expect(() => loadClassJudge({ ...bad, format: 'mmae-class-judge@1' })).toThrow(
      /field w1 has 3 values, expected 4/,
    );
  });
});
