import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import { audioPlugin } from '../../../plugins/audio/index.js';
import type { RawValue } from '../../../src/data/contract.js';
import { tone } from './wav-fixtures.js';

const HOP = 128;

/** A rising chirp of 0.4 s placed at `offset` samples in one second of silence. */
function chirpAt(offset: number): RawValue {
  const clip = new Float32Array(8000);
  const length = 3200;
  for (let i = 0; i < length; i++) {
    const t = i / 8000;
    clip[offset + i] = 0.4 * Math.sin(2 * Math.PI * (300 * t + 1500 * t * t));
  }
  return { kind: 'decoded', value: { sampleRate: 8000, samples: clip } };
}

async function encodeBoth(architecture: 'conv' | 'conv-pool', shiftFrames: number) {
  const options = audioPlugin.optionsSchema.parse({
    features: 'mfcc',
    deltas: true,
    normalisation: 'utterance',
    dynamicRangeDb: 80,
    architecture,
    convFilters: [8, 16, 16],
    embeddingSize: 16,
    seed: 4,
  });
  const fitRaws = [
    chirpAt(2000),
    { kind: 'decoded', value: { sampleRate: 8000, samples: tone(500, 8000, 0.5) } } as const,
  ];
  const instance = audioPlugin.create(options, await audioPlugin.fit(fitRaws, options));
  const early = await instance.prepare(chirpAt(2000), 'early');
  const late = await instance.prepare(chirpAt(2000 + shiftFrames * HOP), 'late');
  const encoder = instance.buildEncoder();
  const codes = tf.tidy(() => {
    const x = tf.tensor(
      [...Array.from(early), ...Array.from(late)],
      [2, ...instance.featureSpec.shape],
    );
    return (encoder.predict(x) as tf.Tensor).arraySync() as number[][];
  });
  encoder.dispose();
  const [a, b] = codes as [number[], number[]];
  const scale = Math.max(...a.map(Math.abs));
  const difference = Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))));
  return { scale, difference };
}

describe("the 'conv-pool' audio encoder", () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  // Two strided layers: a shift by 4 frames moves the last feature map by exactly one step.
  it('gives the same code for a word shifted in time within the padded clip', async () => {
    const { scale, difference } = await encodeBoth('conv-pool', 4);
    expect(scale).toBeGreaterThan(0);
    expect(difference).toBeLessThan(1e-4 * Math.max(1, scale));
  });

  it("while the flattening 'conv' encoder's code changes with the same shift", async () => {
    const { scale, difference } = await encodeBoth('conv', 4);
    expect(difference).toBeGreaterThan(0.05 * scale);
  });

  it('builds a decoder that returns the feature shape, and keeps tensors flat', async () => {
    const options = audioPlugin.optionsSchema.parse({
      features: 'mfcc',
      deltas: true,
      architecture: 'conv-pool',
      convFilters: [8, 16, 16],
      dropout: 0.2,
    });
    const instance = audioPlugin.create(options, await audioPlugin.fit([chirpAt(1000)], options));
    const before = tf.memory().numTensors;
    const encoder = instance.buildEncoder();
    const decoder = instance.buildDecoder(6);
    const shapes = tf.tidy(() => {
      const code = encoder.apply(tf.zeros([2, 63, 39]), { training: true }) as tf.Tensor;
      const out = decoder.predict(tf.zeros([2, 6])) as tf.Tensor;
      return [code.shape, out.shape];
    });
    expect(shapes).toEqual([
      [2, 64],
      [2, 63, 39],
    ]);
    encoder.dispose();
    decoder.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('takes a dense decoder when asked, and the resolved options say which decoder was built', async () => {
    const base = { architecture: 'conv-pool', convFilters: [8, 16], hiddenSizes: [32] } as const;
    expect(audioPlugin.optionsSchema.parse(base).decoder).toBe('conv');
    const options = audioPlugin.optionsSchema.parse({ ...base, decoder: 'dense' });
    expect(options.decoder).toBe('dense');
    const instance = audioPlugin.create(options, await audioPlugin.fit([chirpAt(1000)], options));
    const decoder = instance.buildDecoder(6);
    expect(decoder.layers.map((l) => l.getClassName())).toEqual(['Dense', 'Dense', 'Reshape']);
    const shape = tf.tidy(() => (decoder.predict(tf.zeros([1, 6])) as tf.Tensor).shape);
    expect(shape).toEqual([1, 63, 40]);
    decoder.dispose();
  });
});
