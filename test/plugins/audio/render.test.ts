import { describe, expect, it } from 'vitest';
import { audioPlugin } from '../../../plugins/audio/index.js';
import { decodeWav } from '../../../plugins/audio/wav-decode.js';
import { ShapeError } from '../../../src/errors/errors.js';
import { dominantFrequency, rms, tone } from './wav-fixtures.js';

describe('audio render', () => {
  async function renderTone(optionsInput: object, hz: number) {
    const options = audioPlugin.optionsSchema.parse(optionsInput);
    const raw = {
      kind: 'decoded',
      value: { sampleRate: 8000, samples: tone(hz, 8000, 1, 0.5) },
    } as const;
    const instance = audioPlugin.create(options, await audioPlugin.fit([raw], options));
    const artefact = await instance.render(await instance.prepare(raw, 'tone'));
    if (artefact.kind !== 'wav') throw new Error(`expected a wav artefact, got ${artefact.kind}`);
    return decodeWav(artefact.data, 'rendered.wav');
  }

  // Mel bands near 440 Hz are ~50 Hz apart with the defaults (40 bands, 256-point FFT), so the
  // pitch is only known to about ±6%; a finer analysis pins it down.
  it('turns the features of a 440 Hz tone back into a WAV whose dominant frequency is 440 Hz ±5%', async () => {
    const decoded = await renderTone({}, 440);
    expect(decoded.sampleRate).toBe(8000);
    expect(decoded.samples.length).toBe(8000);
    const frequency = await dominantFrequency(decoded.samples, 8000);
    expect(Math.abs(frequency - 440) / 440).toBeLessThan(0.05);
    // A sustained tone, not silence or a click.
    expect(rms(decoded.samples, 1000, 7000)).toBeGreaterThan(0.05);
  });

  it('recovers 440 Hz within 2% with 64 mel bands and a 512-point FFT', async () => {
    const decoded = await renderTone({ melBands: 64, fftSize: 512 }, 440);
    const frequency = await dominantFrequency(decoded.samples, 8000);
    expect(Math.abs(frequency - 440) / 440).toBeLessThan(0.02);
  });

  it('renders the same WAV twice for the same features (seeded phase)', async () => {
    const options = audioPlugin.optionsSchema.parse({ griffinLimIterations: 4 });
    const raw = {
      kind: 'decoded',
      value: { sampleRate: 8000, samples: tone(900, 8000, 0.5) },
    } as const;
    const instance = audioPlugin.create(options, await audioPlugin.fit([raw], options));
    const features = await instance.prepare(raw, 'x');
    const [a, b] = [await instance.render(features), await instance.render(features)];
    expect(a).toEqual(b);
  });

  it('rejects features of the wrong length with both sizes in the message', async () => {
    const options = audioPlugin.optionsSchema.parse({});
    const raw = {
      kind: 'decoded',
      value: { sampleRate: 8000, samples: tone(440, 8000, 0.2) },
    } as const;
    const instance = audioPlugin.create(options, await audioPlugin.fit([raw], options));
    await expect(instance.render(new Float32Array(10))).rejects.toBeInstanceOf(ShapeError);
    await expect(instance.render(new Float32Array(10))).rejects.toThrow(
      /expected 2520 values .* got 10/,
    );
  });
});
