import { describe, expect, it } from 'vitest';
import { createCepstrum } from '../../../plugins/audio/cepstrum.js';
import { appendDeltas } from '../../../plugins/audio/deltas.js';
import { createAudioFeatureExtractor } from '../../../plugins/audio/feature-extractor.js';
import { resolveAudioOptions } from '../../../plugins/audio/options.js';
import { audioPlugin } from '../../../plugins/audio/index.js';
import { decodeWav } from '../../../plugins/audio/wav-decode.js';
import type { RawValue } from '../../../src/data/contract.js';
import { PluginError } from '../../../src/errors/errors.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { rms, tone } from './wav-fixtures.js';

/** Tones of different pitch, level and length, as decoded audio. */
function toneRaws(count: number): RawValue[] {
  const random = new SeededRandom(5);
  return Array.from({ length: count }, () => ({
    kind: 'decoded' as const,
    value: {
      sampleRate: 8000,
      samples: tone(
        200 + 1500 * random.next(),
        8000,
        0.3 + 0.5 * random.next(),
        0.05 + 0.5 * random.next(),
      ),
    },
  }));
}

/** Mean and std of each channel of one clip [frames, channels]. */
function channelMoments(row: Float32Array, channels: number): { mean: number; std: number }[] {
  return Array.from({ length: channels }, (_, c) => {
    const values = Array.from(row).filter((_, i) => i % channels === c);
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length;
    return { mean, std: Math.sqrt(variance) };
  });
}

describe('audio feature options', () => {
  it('keep the defaults of existing configs: log-mel, global normalisation, dense, no dropout', () => {
    const options = resolveAudioOptions({ melBands: 40, hiddenSizes: [256] });
    expect(options).toMatchObject({
      features: 'logmel',
      deltas: false,
      normalisation: 'global',
      architecture: 'dense',
      decoder: 'dense',
      dropout: 0,
    });
    expect(options.dynamicRangeDb).toBeUndefined();
  });

  it('reject more cepstral coefficients than mel bands, naming the field', () => {
    expect(() =>
      resolveAudioOptions({ features: 'mfcc', melBands: 20, mfccCoefficients: 30 }),
    ).toThrow(/mfccCoefficients: must be <= melBands \(20\)/);
  });

  it("'mfcc' with deltas gives [frames, 3 × coefficients] features", () => {
    const extractor = createAudioFeatureExtractor(
      resolveAudioOptions({ features: 'mfcc', mfccCoefficients: 13, deltas: true }),
    );
    expect([extractor.frames, extractor.channels]).toEqual([63, 39]);
    const features = extractor.extract(tone(500, 8000, 0.6));
    expect(features.length).toBe(63 * 39);
    expect(features.every(Number.isFinite)).toBe(true);
  });

  it('per-utterance normalisation gives every channel of every clip zero mean and unit std', async () => {
    const options = audioPlugin.optionsSchema.parse({
      features: 'mfcc',
      deltas: true,
      normalisation: 'utterance',
      dynamicRangeDb: 80,
    });
    const raws = toneRaws(4);
    const instance = audioPlugin.create(options, await audioPlugin.fit(raws, options));
    expect(instance.featureSpec.shape).toEqual([63, 39]);
    for (const [i, raw] of raws.entries()) {
      const row = (await instance.prepare(raw, `tone ${i}`)) as Float32Array;
      for (const { mean, std } of channelMoments(row, 39)) {
        expect(Math.abs(mean)).toBeLessThan(1e-4);
        // A channel constant over the clip stays at zero instead of being blown up.
        if (std > 1e-3) expect(std).toBeCloseTo(1, 3);
      }
    }
  });

  // The floor must sit above logEpsilon for both clips, else the quiet clip's silence is deeper.
  it('per-utterance normalisation makes a clip and the same clip 20 dB louder identical', async () => {
    const options = audioPlugin.optionsSchema.parse({
      normalisation: 'utterance',
      dynamicRangeDb: 40,
    });
    const quiet = tone(700, 8000, 0.5, 0.04);
    const loud = quiet.map((v) => v * 10);
    const instance = audioPlugin.create(options, await audioPlugin.fit(toneRaws(3), options));
    const a = await instance.prepare(
      { kind: 'decoded', value: { sampleRate: 8000, samples: quiet } },
      'quiet',
    );
    const b = await instance.prepare(
      { kind: 'decoded', value: { sampleRate: 8000, samples: loud } },
      'loud',
    );
    expect(Math.max(...a.map((v, i) => Math.abs(v - (b[i] as number))))).toBeLessThan(0.02);
  });

  it('a floor below the peak leaves no value more than dynamicRangeDb under the loudest one', () => {
    const extractor = createAudioFeatureExtractor(resolveAudioOptions({ dynamicRangeDb: 60 }));
    const features = extractor.extract(tone(900, 8000, 0.4));
    const peak = Math.max(...features);
    const lowest = Math.min(...features);
    expect(peak - lowest).toBeCloseTo(6 * Math.LN10, 4);
  });

  it('the cepstrum inverts exactly with all coefficients and keeps a smooth envelope with few', () => {
    const random = new SeededRandom(9);
    const logMel = Float32Array.from({ length: 3 * 16 }, () => random.normal());
    const full = createCepstrum(16, 16);
    const back = full.toLogMel(full.fromLogMel(logMel));
    expect(Math.max(...back.map((v, i) => Math.abs(v - (logMel[i] as number))))).toBeLessThan(1e-5);

    // A tilted envelope (few cepstral terms) survives truncation to 4 coefficients.
    const envelope = Float32Array.from(
      { length: 16 },
      (_, n) => 2 * Math.cos((Math.PI * (n + 0.5)) / 16) - 5,
    );
    const truncated = createCepstrum(16, 4);
    const smooth = truncated.toLogMel(truncated.fromLogMel(envelope));
    expect(Math.max(...smooth.map((v, i) => Math.abs(v - (envelope[i] as number))))).toBeLessThan(
      1e-5,
    );
  });

  it('deltas of a channel rising by 1 per frame are 1 away from the edges, and delta-deltas 0', () => {
    const frames = 10;
    const ramp = Float32Array.from({ length: frames }, (_, t) => t);
    const out = appendDeltas(ramp, 1);
    for (let t = 2; t < frames - 2; t++) {
      expect(out[t * 3]).toBe(t);
      expect(out[t * 3 + 1]).toBeCloseTo(1, 6);
    }
    expect(out[5 * 3 + 2]).toBeCloseTo(0, 6);
  });

  it('render turns utterance-normalised MFCCs with deltas back into a non-silent WAV of the clip length', async () => {
    const options = audioPlugin.optionsSchema.parse({
      features: 'mfcc',
      deltas: true,
      normalisation: 'utterance',
      dynamicRangeDb: 80,
      griffinLimIterations: 8,
    });
    const raws = toneRaws(4);
    const instance = audioPlugin.create(options, await audioPlugin.fit(raws, options));
    const artefact = await instance.render(await instance.prepare(raws[0] as RawValue, 'tone'));
    if (artefact.kind !== 'wav') throw new Error(`expected a wav artefact, got ${artefact.kind}`);
    const decoded = decodeWav(artefact.data, 'rendered.wav');
    expect(decoded.sampleRate).toBe(8000);
    expect(decoded.samples.length).toBe(8000);
    expect(rms(decoded.samples, 0, 8000)).toBeGreaterThan(1e-3);
  });

  it('rejects a state fitted for other features, naming what the options give', async () => {
    const logMel = audioPlugin.optionsSchema.parse({});
    const state = await audioPlugin.fit(toneRaws(2), logMel);
    const mfcc = audioPlugin.optionsSchema.parse({ features: 'mfcc', deltas: true });
    expect(() => audioPlugin.create(mfcc, state)).toThrow(PluginError);
    expect(() => audioPlugin.create(mfcc, state)).toThrow(
      /40 feature channels but the options \(features 'mfcc', mfccCoefficients 13 × 3 for deltas\) give 39/,
    );
  });
});
