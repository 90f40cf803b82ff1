import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, RunError } from '../../src/errors/errors.js';
import {
  buildWithinModelCap,
  buildWithinSavedWeights,
  withWeightBudget,
} from '../../src/model/weight-budget.js';
import { useBackend } from '../support/backend.js';

beforeAll(async () => {
  await useBackend('cpu');
});

/** A dense MLP over `input` values, built now (weights allocated). */
function mlp(input: number, units: readonly number[]): tf.Sequential {
  const model = tf.sequential();
  units.forEach((u, i) =>
    model.add(tf.layers.dense({ units: u, ...(i === 0 ? { inputShape: [input] } : {}) })),
  );
  return model;
}

describe('withWeightBudget', () => {
  it('builds a model that fits, leaving addWeight as it was', () => {
    const proto = tf.layers.Layer.prototype as unknown as { addWeight: unknown };
    const before = proto.addWeight;
    const model = withWeightBudget(
      4 * 3 + 3,
      () => new Error('over'),
      () => mlp(4, [3]),
    );
    expect(model.countParams()).toBe(15);
    expect(proto.addWeight).toBe(before);
    model.dispose();
  });

  it('stops at the first weight past the budget, before it is allocated, and frees the others', () => {
    const tensors = tf.memory().numTensors;
    const bytes = tf.memory().numBytes;
    expect(() =>
      withWeightBudget(
        100,
        (e) => new RunError(`${e.weight} [${e.shape}] needs ${e.needed}`),
        () => mlp(4, [8, 1_000_000_000]),
      ),
    ).toThrow(/kernel \[8,1000000000\] needs 8000000040/);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(tf.memory().numBytes).toBe(bytes);
  });

  it('names the run and both sizes when a run config outgrows its weights', () => {
    const saved = [{ name: 'w', tensor: tf.zeros([10]) }];
    expect(() => buildWithinSavedWeights(saved, 'runs/r', () => mlp(4, [3]))).toThrow(RunError);
    expect(() => buildWithinSavedWeights(saved, 'runs/r', () => mlp(4, [3]))).toThrow(
      /runs\/r\/config\.json .* where the checkpoint has 10/,
    );
    saved[0]!.tensor.dispose();
  });

  it('refuses a user config past 2^28 weight values as a ConfigError', () => {
    expect(() => buildWithinModelCap('c.yaml', () => mlp(65_536, [65_536]))).toThrow(ConfigError);
  });
});
