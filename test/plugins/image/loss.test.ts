import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bernoulliLikelihood, gaussianLikelihood } from '../../../plugins/image/loss.js';
import { ShapeError } from '../../../src/errors/errors.js';
import { useWasmBackend } from '../../support/backend.js';

function naiveBce(logit: number, target: number): number {
  const p = 1 / (1 + Math.exp(-logit));
  return -(target * Math.log(p) + (1 - target) * Math.log(1 - p));
}

describe('image likelihoods', () => {
  beforeAll(useWasmBackend);

  it('Bernoulli loss is the per-sample sum of sigmoid cross-entropy from logits', () => {
    const logits = [0.5, -1.2, 2.0, 0.0, -0.3, 1.1];
    const targets = [1, 0, 0.25, 0.5, 0, 1];
    const loss = tf.tidy(() =>
      bernoulliLikelihood
        .loss(tf.tensor4d(targets, [2, 1, 3, 1]), tf.tensor4d(logits, [2, 1, 3, 1]))
        .arraySync(),
    );
    const expected = [0, 1].map((s) =>
      [0, 1, 2].reduce((sum, k) => sum + naiveBce(logits[s * 3 + k]!, targets[s * 3 + k]!), 0),
    );
    expect(loss).toHaveLength(2);
    loss.forEach((value, i) => expect(value).toBeCloseTo(expected[i]!, 5));
  });

  it('Bernoulli loss stays finite and exact for logits far beyond float exp range', () => {
    const loss = tf.tidy(() =>
      bernoulliLikelihood
        .loss(tf.tensor2d([[1, 0, 1, 0]]), tf.tensor2d([[200, -200, -200, 200]]))
        .arraySync(),
    );
    // Two confident right answers cost ~0, two confident wrong ones cost 200 each.
    expect(loss[0]).toBeCloseTo(400, 3);
  });

  it('Gaussian loss is the per-sample sum of squared errors', () => {
    const loss = tf.tidy(() =>
      gaussianLikelihood
        .loss(
          tf.tensor2d([
            [0, 1],
            [0.5, 0.5],
          ]),
          tf.tensor2d([
            [0.5, 0.5],
            [0.5, 1.5],
          ]),
        )
        .arraySync(),
    );
    expect(loss[0]).toBeCloseTo(0.5, 6);
    expect(loss[1]).toBeCloseTo(1, 6);
  });

  it('turns logits into sigmoid probabilities and keeps Gaussian means as they are', () => {
    const [bernoulli, gaussian] = tf.tidy(() => {
      const output = tf.tensor1d([0, 100, -100, 0.7]);
      return [
        bernoulliLikelihood.toFeatures(output).arraySync() as number[],
        gaussianLikelihood.toFeatures(output).arraySync() as number[],
      ];
    });
    expect(bernoulli[0]).toBeCloseTo(0.5, 6);
    expect(bernoulli[1]).toBeCloseTo(1, 6);
    expect(bernoulli[2]).toBeCloseTo(0, 6);
    expect(gaussian).toEqual([0, 100, -100, Math.fround(0.7)]);
  });

  it('leaves no tensors behind', () => {
    const target = tf.zeros([4, 3, 3, 1]);
    const output = tf.ones([4, 3, 3, 1]);
    const before = tf.memory().numTensors;
    for (const likelihood of [bernoulliLikelihood, gaussianLikelihood]) {
      likelihood.loss(target, output).dispose();
      likelihood.toFeatures(output).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([target, output]);
  });

  it('names both shapes when target and output disagree', () => {
    const target = tf.zeros([2, 4, 4, 1]);
    const output = tf.zeros([2, 4, 4, 3]);
    expect(() => bernoulliLikelihood.loss(target, output)).toThrow(ShapeError);
    expect(() => gaussianLikelihood.loss(target, output)).toThrow(/\[2, 4, 4, 1\].*\[2, 4, 4, 3\]/);
    tf.dispose([target, output]);
  });
});
