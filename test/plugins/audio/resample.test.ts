import { describe, expect, it } from 'vitest';
import { centreInWindow } from '../../../plugins/audio/features.js';
import { nodeWavFiles } from '../../../plugins/audio/node/wav-files.js';
import { readRawAudio } from '../../../plugins/audio/raw-audio.js';
import { resample } from '../../../plugins/audio/resample.js';
import { dominantFrequency, rms, tempDir, tone, wavBytes, writeTemp } from './wav-fixtures.js';

describe('resample', () => {
  it('keeps a 1 kHz tone’s shape and level when going from 44.1 kHz to 8 kHz', () => {
    const out = resample(tone(1000, 44_100, 0.5), 44_100, 8000);
    expect(out.length).toBe(4000);
    const expected = tone(1000, 8000, 0.5);
    // Away from the edges, where the filter sees zeros beyond the signal.
    let worst = 0;
    for (let i = 200; i < 3800; i++)
      worst = Math.max(worst, Math.abs((out[i] as number) - (expected[i] as number)));
    expect(worst).toBeLessThan(0.01);
  });

  it('filters out a tone above the new Nyquist frequency instead of aliasing it', () => {
    // 6 kHz would fold to 2 kHz at 8 kHz without the anti-alias low-pass.
    const out = resample(tone(6000, 44_100, 0.5), 44_100, 8000);
    expect(rms(out, 200, 3800)).toBeLessThan(0.005);
  });

  it('upsamples 8 kHz to 16 kHz keeping the tone', () => {
    const out = resample(tone(440, 8000, 0.5), 8000, 16_000);
    expect(out.length).toBe(8000);
    expect(rms(out, 400, 7600)).toBeCloseTo(0.5 / Math.SQRT2, 2);
  });

  it('returns the input unchanged when the rates match', () => {
    const input = tone(440, 8000, 0.1);
    expect(resample(input, 8000, 8000)).toBe(input);
  });
});

describe('readRawAudio', () => {
  it('turns a 44.1 kHz stereo WAV into mono samples at the configured 8 kHz rate', async () => {
    const left = tone(500, 44_100, 1, 0.4);
    const bytes = wavBytes([left, left], 44_100, '16');
    const samples = await readRawAudio(
      { kind: 'bytes', data: bytes, name: 'cd.wav' },
      'cd.wav',
      8000,
    );
    expect(samples.length).toBe(8000);
    expect(await dominantFrequency(samples, 8000)).toBeCloseTo(500, -1);
    expect(rms(samples, 400, 7600)).toBeCloseTo(0.4 / Math.SQRT2, 2);
  });

  it('keeps only the centred window of a long recording, with exactly the samples of resampling it all and centring', async () => {
    // A 6 s, 44.1 kHz sweep with a rising envelope, so any shift of the window would show.
    const long = new Float32Array(6 * 44_100).map((_, i) => {
      const t = i / 44_100;
      return (0.1 + 0.1 * t) * Math.sin(2 * Math.PI * (200 * t + 40 * t * t));
    });
    const raw = { kind: 'decoded', value: { sampleRate: 44_100, samples: long } } as const;
    const whole = centreInWindow(await readRawAudio(raw, 'long', 8000), 8000);
    const kept = await readRawAudio(raw, 'long', 8000, 1);
    expect(kept.length).toBe(8000);
    const window = centreInWindow(kept, 8000);
    let worst = 0;
    for (let i = 0; i < 8000; i++)
      worst = Math.max(worst, Math.abs((window[i] as number) - (whole[i] as number)));
    expect(worst).toBe(0);
  });

  it.each([
    ['a 44.1 kHz 24-bit stereo', 44_100, '24', 8000],
    ['an 8 kHz float', 8000, '32f', 16_000],
    ['a 16 kHz 16-bit stereo', 16_000, '16', 16_000],
  ])(
    'reads the centred window of %s WAV file with exactly the samples of decoding it all and centring',
    async (_name, fileRate, bitDepth, rate) => {
      const sweep = new Float32Array(3 * fileRate).map((_, i) => {
        const t = i / fileRate;
        return (0.1 + 0.1 * t) * Math.sin(2 * Math.PI * (200 * t + 40 * t * t));
      });
      const channels = bitDepth === '32f' ? [sweep] : [sweep, sweep.map((v) => -v / 2)];
      const path = writeTemp(tempDir(), 'sweep.wav', wavBytes(channels, fileRate, bitDepth));
      const whole = centreInWindow(
        await readRawAudio({ kind: 'file', path }, path, rate, undefined, nodeWavFiles),
        rate,
      );
      const kept = await readRawAudio({ kind: 'file', path }, path, rate, 1, nodeWavFiles);
      expect(kept.length).toBe(rate);
      expect(Array.from(kept)).toEqual(Array.from(whole));
    },
  );
});
