/**
 * The audio modality's corruption for robustness curves: white noise added to the waveform at a
 * true signal-to-noise ratio, before the clip is turned into features like any other.
 */
import type { Corruption, SeededRandom } from 'mmae/portable';
import { UsageError } from 'mmae/portable';
import { decodedAudioValue } from './decoded-audio.js';
import { readRawAudio, type WavFileReader } from './raw-audio.js';

/**
 * Adds white Gaussian noise so that signal power / noise power = 10^(snrDb / 10). A silent clip
 * stays silent (SNR is undefined for zero signal power).
 */
export function addNoiseAtSnr(
  samples: Float32Array,
  snrDb: number,
  rng: SeededRandom,
): Float32Array {
  if (!Number.isFinite(snrDb)) {
    throw new UsageError(`addNoiseAtSnr: snrDb is ${snrDb}; pass a finite decibel value.`);
  }
  let power = 0;
  for (let i = 0; i < samples.length; i++) power += (samples[i] as number) ** 2;
  power = samples.length > 0 ? power / samples.length : 0;
  const sigma = Math.sqrt(power / 10 ** (snrDb / 10));
  const out = new Float32Array(samples.length);
  for (let i = 0; i < samples.length; i++) out[i] = (samples[i] as number) + sigma * rng.normal();
  return out;
}

/** The curves an audio modality read at `sampleRate` gets in `mmae eval`. */
export function audioCorruptions(sampleRate: number, files?: WavFileReader): Corruption[] {
  return [
    {
      name: 'additive-noise',
      on: 'raw',
      levels: [Infinity, 20, 10, 0],
      // SNR ∞ cannot be drawn; noise/signal power (0, 0.01, 0.1, 1) orders the levels the same way.
      axis: 'noise/signal power (SNR ∞, 20, 10, 0 dB)',
      plotX: (snrDb) => (Number.isFinite(snrDb) ? 10 ** (-snrDb / 10) : 0),
      async corrupt(raw, snrDb, rng, source) {
        if (!Number.isFinite(snrDb)) return raw;
        const samples = await readRawAudio(raw, source, sampleRate, undefined, files);
        return decodedAudioValue({ sampleRate, samples: addNoiseAtSnr(samples, snrDb, rng) });
      },
    },
  ];
}
