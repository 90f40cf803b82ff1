import { describe, expect, it } from 'vitest';
import { imageOptionsSchema } from '../../../plugins/image/options.js';
import {
  activationReachesRange,
  decoderOutputActivation,
  featureOutputRange,
} from '../../../plugins/image/output-range.js';

describe('output ranges', () => {
  it('a sigmoid reaches data in [0,1] but not data in [-1,1]', () => {
    expect(activationReachesRange('sigmoid', [0, 1])).toBe(true);
    expect(activationReachesRange('sigmoid', [-1, 1])).toBe(false);
  });

  it('tanh reaches [-1,1], relu only non-negative data, linear everything', () => {
    expect(activationReachesRange('tanh', [-1, 1])).toBe(true);
    expect(activationReachesRange('tanh', [0, 255])).toBe(false);
    expect(activationReachesRange('relu', [0, 255])).toBe(true);
    expect(activationReachesRange('relu', [-1, 1])).toBe(false);
    expect(activationReachesRange('linear', [-1e9, 1e9])).toBe(true);
  });

  it('a Bernoulli decoder emits linear logits whose features are sigmoid probabilities', () => {
    const options = imageOptionsSchema.parse({
      likelihood: 'bernoulli',
      outputActivation: 'linear',
    });
    expect(decoderOutputActivation(options)).toBe('linear');
    expect(featureOutputRange(options)).toEqual([0, 1]);
  });

  it("a Gaussian decoder's features span its output activation", () => {
    const linear = imageOptionsSchema.parse({ likelihood: 'gaussian', outputActivation: 'linear' });
    expect(decoderOutputActivation(linear)).toBe('linear');
    expect(featureOutputRange(linear)).toEqual([-Infinity, Infinity]);
    const sigmoid = imageOptionsSchema.parse({ likelihood: 'gaussian' });
    expect(decoderOutputActivation(sigmoid)).toBe('sigmoid');
  });
});
