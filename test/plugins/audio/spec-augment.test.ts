/**
 * SpecAugment masks whole blocks of frames and coefficients (a coefficient in its delta groups
 * too), leaves everything else as it was, repeats itself for a seed and changes with it; the
 * audio plugin offers it as its training-time `augment` only when the option is set.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import { audioPlugin } from '../../../plugins/audio/index.js';
import { specAugment } from '../../../plugins/audio/spec-augment.js';
import type { RawValue } from '../../../src/data/contract.js';
import { tone } from './wav-fixtures.js';

const settings = {
  timeMasks: 2,
  timeMaskWidth: 6,
  channelMasks: 1,
  channelMaskWidth: 2,
  channelGroup: 4,
};

describe('SpecAugment on [b, frames, channels] features', () => {
  let features: tf.Tensor;
  beforeAll(async () => {
    await useWasmBackend();
    features = tf.add(tf.randomUniform([8, 20, 12], 0, 1, 'float32', 1), 1); // all ≥ 1
  });

  it('zeroes whole frames and whole coefficients, each coefficient in every delta group', () => {
    const out = specAugment(features, 5, settings);
    const x = features.arraySync() as number[][][];
    const y = out.arraySync() as number[][][];
    let maskedSomething = false;
    for (let b = 0; b < 8; b++) {
      const zeroFrame = (t: number) => y[b]![t]!.every((v) => v === 0);
      const zeroChannel = (c: number) => y[b]!.every((row) => row[c] === 0);
      for (let t = 0; t < 20; t++) {
        for (let c = 0; c < 12; c++) {
          if (y[b]![t]![c] === 0) {
            expect(zeroFrame(t) || zeroChannel(c)).toBe(true);
            maskedSomething = true;
          } else {
            expect(y[b]![t]![c]).toBe(x[b]![t]![c]);
          }
        }
      }
      for (let c = 0; c < 4; c++) {
        const groups = [c, c + 4, c + 8].map(zeroChannel);
        expect(new Set(groups).size).toBe(1);
      }
      const maskedFrames = Array.from({ length: 20 }, (_, t) => zeroFrame(t)).filter(Boolean);
      expect(maskedFrames.length).toBeLessThanOrEqual(2 * 6);
    }
    expect(maskedSomething).toBe(true);
    out.dispose();
  });

  it('repeats itself for a seed and differs between seeds, without leaking tensors', () => {
    const before = tf.memory().numTensors;
    const a = specAugment(features, 9, settings);
    const b = specAugment(features, 9, settings);
    const c = specAugment(features, 10, settings);
    const gap = (u: tf.Tensor, v: tf.Tensor) =>
      tf.tidy(() => tf.max(tf.abs(tf.sub(u, v))).dataSync()[0]!);
    expect(gap(a, b)).toBe(0);
    expect(gap(a, c)).toBeGreaterThan(0);
    tf.dispose([a, b, c]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is the audio instance’s augment only when specAugment is set', async () => {
    const base = {
      sampleRate: 8000,
      durationSeconds: 0.25,
      features: 'mfcc',
      deltas: true,
      normalisation: 'utterance',
    };
    const plain = audioPlugin.optionsSchema.parse(base);
    const augmented = audioPlugin.optionsSchema.parse({ ...base, specAugment: {} });
    expect(augmented.specAugment).toEqual({
      timeMasks: 2,
      timeMaskWidth: 10,
      channelMasks: 1,
      channelMaskWidth: 3,
    });
    const clips: RawValue[] = [220, 440].map((hz) => ({
      kind: 'decoded',
      value: { samples: tone(hz, 8000, 0.25), sampleRate: 8000 },
    }));
    const state = (options: unknown) => audioPlugin.fit(clips, options as never);
    expect(audioPlugin.create(plain, await state(plain)).augment).toBeUndefined();
    const instance = audioPlugin.create(augmented, await state(augmented));
    const [frames, channels] = instance.featureSpec.shape as [number, number];
    const x = tf.ones([3, frames, channels]);
    const out = instance.augment!(x, 1);
    expect(out.shape).toEqual(x.shape);
    expect(tf.min(out).dataSync()[0]).toBe(0);
    tf.dispose([x, out]);
  });
});
