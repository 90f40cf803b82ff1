import { describe, expect, it } from 'vitest';
import { addNoiseAtSnr, audioCorruptions } from '../../../plugins/audio/corruptions.js';
import type { DecodedAudio } from '../../../plugins/audio/decoded-audio.js';
import { SeededRandom } from '../../../src/index.js';
import { tone, wavBytes } from './wav-fixtures.js';

describe('addNoiseAtSnr', () => {
  it('adds noise whose power matches the requested SNR and repeats under a seed', () => {
    const n = 50_000;
    const signal = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i / 7));
    const noisy = addNoiseAtSnr(signal, 10, new SeededRandom(7));
    const again = addNoiseAtSnr(signal, 10, new SeededRandom(7));
    expect(Buffer.compare(Buffer.from(noisy.buffer), Buffer.from(again.buffer))).toBe(0);
    let ps = 0;
    let pn = 0;
    for (let i = 0; i < n; i++) {
      ps += (signal[i] as number) ** 2;
      pn += ((noisy[i] as number) - (signal[i] as number)) ** 2;
    }
    expect(10 * Math.log10(ps / pn)).toBeCloseTo(10, 1);
  });

  it('leaves silence silent', () => {
    expect(addNoiseAtSnr(new Float32Array(10), 0, new SeededRandom(0))).toEqual(
      new Float32Array(10),
    );
  });
});
describe('the audio corruption an audio instance declares', () => {
  const [noise] = audioCorruptions(8000);
  if (noise?.on !== 'raw') throw new Error('additive noise is raw');

  it("adds noise at the level's SNR to a WAV, read at the modality's rate", async () => {
    const clip = tone(440, 8000, 0.5);
    const raw = { kind: 'bytes', data: wavBytes([clip], 8000, '32f') } as const;
    const noisy = await noise.corrupt(raw, 10, new SeededRandom(3), 'clip');
    if (noisy.kind !== 'decoded') throw new Error(`expected decoded audio, got ${noisy.kind}`);
    const audio = noisy.value as DecodedAudio;
    expect(audio.sampleRate).toBe(8000);
    expect(audio.samples).toHaveLength(clip.length);
    let ps = 0;
    let pn = 0;
    for (let i = 0; i < clip.length; i++) {
      ps += (clip[i] as number) ** 2;
      pn += ((audio.samples[i] as number) - (clip[i] as number)) ** 2;
    }
    expect(10 * Math.log10(ps / pn)).toBeCloseTo(10, 0);
  });

  it('leaves the clip as it is at SNR ∞, and plots ∞ at noise power 0', async () => {
    const raw = {
      kind: 'decoded',
      value: { sampleRate: 8000, samples: tone(300, 8000, 0.1) },
    } as const;
    expect(await noise.corrupt(raw, Infinity, new SeededRandom(0), 'clip')).toBe(raw);
    expect(noise.levels.map((l) => noise.plotX?.(l))).toEqual([0, 0.01, 0.1, 1]);
  });
});
