import { describe, expect, it } from 'vitest';
import { imageOptionsSchema } from '../../../plugins/image/options.js';

describe('image options', () => {
  it('default to the seed preset: 28×28 grayscale, dense 128-64-32, Bernoulli', () => {
    expect(imageOptionsSchema.parse({})).toEqual({
      width: 28,
      height: 28,
      channels: 1,
      resize: 'contain',
      encoder: 'dense',
      decoder: 'dense',
      hiddenSizes: [128, 64, 32],
      filters: [16, 32],
      kernelSize: 3,
      likelihood: 'bernoulli',
      outputActivation: 'sigmoid',
    });
  });

  it('resolve the decoder to the encoder unless it is set', () => {
    expect(imageOptionsSchema.parse({ encoder: 'conv' }).decoder).toBe('conv');
    expect(imageOptionsSchema.parse({ encoder: 'conv', decoder: 'dense' }).decoder).toBe('dense');
  });

  it('give each parse its own default arrays', () => {
    const first = imageOptionsSchema.parse({});
    const second = imageOptionsSchema.parse({});
    expect(first.hiddenSizes).not.toBe(second.hiddenSizes);
  });

  it('reject two channels, unknown keys and empty layer lists, naming the field', () => {
    const channels = imageOptionsSchema.safeParse({ channels: 2 });
    expect(channels.success).toBe(false);
    expect(channels.error?.issues[0]?.path).toEqual(['channels']);
    const unknown = imageOptionsSchema.safeParse({ hidenSizes: [10] });
    expect(unknown.success).toBe(false);
    expect(JSON.stringify(unknown.error?.issues)).toContain('hidenSizes');
    const empty = imageOptionsSchema.safeParse({ hiddenSizes: [] });
    expect(empty.error?.issues[0]?.path).toEqual(['hiddenSizes']);
  });
});
