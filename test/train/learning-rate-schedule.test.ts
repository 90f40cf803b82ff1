import { describe, expect, it } from 'vitest';
import { trainingSchema } from '../../src/config/schema.js';
import { learningRateAt } from '../../src/train/learning-rate-schedule.js';

const training = (schedule: Record<string, unknown>) =>
  trainingSchema.parse({ epochs: 5, optimizer: { learningRate: 0.1 }, schedule });

describe('learningRateAt', () => {
  it('keeps a constant rate', () => {
    expect([0, 3].map((e) => learningRateAt(training({ kind: 'constant' }), e))).toEqual([
      0.1, 0.1,
    ]);
  });

  it('steps down by gamma every stepEpochs', () => {
    const t = training({ kind: 'step', gamma: 0.5, stepEpochs: 2 });
    expect([0, 1, 2, 4].map((e) => learningRateAt(t, e))).toEqual([0.1, 0.1, 0.05, 0.025]);
  });

  it('decays exponentially and follows a cosine to its floor', () => {
    expect(learningRateAt(training({ kind: 'exponential', gamma: 0.9 }), 2)).toBeCloseTo(0.081);
    const cosine = training({ kind: 'cosine', minShare: 0.1 });
    expect(learningRateAt(cosine, 0)).toBeCloseTo(0.1);
    expect(learningRateAt(cosine, 4)).toBeCloseTo(0.01);
    expect(learningRateAt(cosine, 2)).toBeCloseTo(0.055);
  });
});
