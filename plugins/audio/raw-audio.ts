/**
 * Any raw value the audio modality accepts (a WAV path, WAV bytes, decoded audio) → mono
 * float samples at the configured rate.
 */
import { readFile } from 'node:fs/promises';
import type { DecodedAudio, RawValue } from '../../src/data/contract.js';
import { DataError } from '../../src/errors/errors.js';
import { resample, resampledLength } from './resample.js';
import { MAX_RATE, MAX_SAMPLE_MAGNITUDE, MIN_RATE, decodeWav } from './wav-decode.js';

/**
 * `keepSeconds`, when given, resamples only the centred window of that length that the features
 * keep (the same samples as resampling everything and then centring), so long files stay cheap.
 */
export async function readRawAudio(
  raw: RawValue,
  source: string,
  sampleRate: number,
  keepSeconds?: number,
): Promise<Float32Array> {
  const { samples, sampleRate: fromRate } = await decodeRaw(raw, source);
  const total = resampledLength(samples.length, fromRate, sampleRate);
  const keep = keepSeconds === undefined ? total : Math.round(keepSeconds * sampleRate);
  if (keep >= total) return resample(samples, fromRate, sampleRate);
  return resample(samples, fromRate, sampleRate, {
    start: Math.floor((total - keep) / 2),
    length: keep,
  });
}

async function decodeRaw(raw: RawValue, source: string): Promise<DecodedAudio> {
  switch (raw.kind) {
    case 'file': {
      const where = raw.path === source ? source : `${source} (${raw.path})`;
      return decodeWav(await readBytes(raw.path, where), where);
    }
    case 'bytes': {
      const where = raw.name && raw.name !== source ? `${source} (${raw.name})` : source;
      return decodeWav(raw.data, where);
    }
    case 'audio':
      return checkDecoded(raw, source);
    default:
      throw new DataError(
        `${source}: the audio modality takes a WAV file, WAV bytes or decoded audio, ` +
          `got a '${raw.kind}' value`,
        source,
      );
  }
}

async function readBytes(path: string, where: string): Promise<Uint8Array> {
  try {
    return await readFile(path);
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code ?? 'unknown error';
    throw new DataError(`${where}: cannot read the WAV file (${code}); check the path`, path, {
      cause,
    });
  }
}

function checkDecoded(audio: DecodedAudio, source: string): DecodedAudio {
  if (!(audio.sampleRate >= MIN_RATE && audio.sampleRate <= MAX_RATE)) {
    throw new DataError(
      `${source}: decoded audio has an implausible sample rate of ${audio.sampleRate} Hz ` +
        `(expected ${MIN_RATE}–${MAX_RATE} Hz)`,
      source,
    );
  }
  if (audio.samples.length === 0)
    throw new DataError(`${source}: decoded audio has no samples`, source);
  for (let i = 0; i < audio.samples.length; i++) {
    if (!Number.isFinite(audio.samples[i])) {
      throw new DataError(`${source}: decoded audio has a non-finite sample at index ${i}`, source);
    }
    if (Math.abs(audio.samples[i] as number) > MAX_SAMPLE_MAGNITUDE) {
      throw new DataError(
        `${source}: decoded audio has a sample of ${audio.samples[i]} at index ${i}, far ` +
          'outside the full scale of ±1; scale the samples to [-1, 1]',
        source,
      );
    }
  }
  return audio;
}
