/**
 * WAV bytes → mono float samples in [-1, 1] at the file's own rate. wavefile parses the RIFF
 * structure; this file checks what wavefile lets through (truncated data, absurd headers) and
 * turns every failure into a DataError that names the source.
 */
import wavefile from 'wavefile';
import type { DecodedAudio } from '../../src/data/contract.js';
import { DataError } from '../../src/errors/errors.js';

const FORMAT_PCM = 1;
const FORMAT_FLOAT = 3;
const FORMAT_EXTENSIBLE = 0xfffe;
/** Rates outside this range are a corrupt header, not a real recording. */
export const MIN_RATE = 1000;
export const MAX_RATE = 768_000;
/**
 * Float samples beyond this magnitude are corrupt bits, not loud audio (full scale is 1); their
 * squares overflow float32 in the spectrogram and would reach training as Infinity.
 */
export const MAX_SAMPLE_MAGNITUDE = 1e6;
/** A data chunk size of 0xFFFFFFFF is written by streaming recorders that never seek back. */
const STREAMING_CHUNK_SIZE = 0xffffffff;

interface FmtChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
  blockAlign: number;
  subformat?: number[];
}

interface DataChunk {
  chunkSize: number;
  samples: Uint8Array;
}

export function decodeWav(bytes: Uint8Array, source: string): DecodedAudio {
  if (bytes.length === 0) throw new DataError(`${source}: the WAV file is empty (0 bytes)`, source);
  const wav = parse(bytes, source);
  const fmt = wav.fmt as FmtChunk;
  const data = wav.data as DataChunk;
  const scale = sampleScale(fmt, source);
  checkHeader(fmt, source);
  checkData(fmt, data, source);

  const channels = wav.getSamples(true, Float64Array) as unknown as Float64Array;
  const frames = Math.floor(channels.length / fmt.numChannels);
  if (frames === 0) throw new DataError(`${source}: the WAV file has no audio samples`, source);
  return {
    kind: 'audio',
    sampleRate: fmt.sampleRate,
    samples: mixDown(channels, fmt, scale, source),
  };
}

function parse(bytes: Uint8Array, source: string): wavefile.WaveFile {
  try {
    return new wavefile.WaveFile(bytes);
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new DataError(
      `${source}: not a readable WAV file (${reason}); expected a RIFF/WAVE file with fmt and data chunks`,
      source,
      { cause },
    );
  }
}

/** Maps stored sample values onto [-1, 1]: offset for unsigned 8-bit, divisor for the rest. */
function sampleScale(fmt: FmtChunk, source: string): { offset: number; divisor: number } {
  const format =
    fmt.audioFormat === FORMAT_EXTENSIBLE ? (fmt.subformat?.[0] ?? -1) : fmt.audioFormat;
  const bits = fmt.bitsPerSample;
  if (format === FORMAT_PCM && bits === 8) return { offset: 128, divisor: 128 };
  if (format === FORMAT_PCM && (bits === 16 || bits === 24 || bits === 32)) {
    return { offset: 0, divisor: 2 ** (bits - 1) };
  }
  if (format === FORMAT_FLOAT && (bits === 32 || bits === 64)) return { offset: 0, divisor: 1 };
  throw new DataError(
    `${source}: unsupported WAV encoding (format code ${format}, ${bits} bits); ` +
      'convert it to 8/16/24/32-bit PCM or 32/64-bit float',
    source,
  );
}

function checkHeader(fmt: FmtChunk, source: string): void {
  if (!(fmt.numChannels >= 1)) {
    throw new DataError(`${source}: the WAV header declares ${fmt.numChannels} channels`, source);
  }
  if (!(fmt.sampleRate >= MIN_RATE && fmt.sampleRate <= MAX_RATE)) {
    throw new DataError(
      `${source}: the WAV header declares an implausible sample rate of ${fmt.sampleRate} Hz ` +
        `(expected ${MIN_RATE}–${MAX_RATE} Hz); the header is probably corrupt`,
      source,
    );
  }
}

function checkData(fmt: FmtChunk, data: DataChunk, source: string): void {
  const present = data.samples.length;
  if (data.chunkSize !== STREAMING_CHUNK_SIZE && present < data.chunkSize) {
    throw new DataError(
      `${source}: the WAV file is truncated: its data chunk declares ${data.chunkSize} bytes ` +
        `but only ${present} are present`,
      source,
    );
  }
  const frameBytes = (fmt.numChannels * fmt.bitsPerSample) / 8;
  if (present % frameBytes !== 0) {
    throw new DataError(
      `${source}: the WAV data (${present} bytes) is not a whole number of ` +
        `${fmt.numChannels}-channel ${fmt.bitsPerSample}-bit frames; the file is truncated`,
      source,
    );
  }
}

/** Averages interleaved channels into one, scaled to [-1, 1]. */
function mixDown(
  interleaved: Float64Array,
  fmt: FmtChunk,
  scale: { offset: number; divisor: number },
  source: string,
): Float32Array {
  const channels = fmt.numChannels;
  const frames = Math.floor(interleaved.length / channels);
  const out = new Float32Array(frames);
  const norm = 1 / (scale.divisor * channels);
  for (let i = 0, k = 0; i < frames; i++) {
    let sum = 0;
    for (let c = 0; c < channels; c++, k++) sum += (interleaved[k] as number) - scale.offset;
    const value = sum * norm;
    if (!Number.isFinite(value)) {
      throw new DataError(
        `${source}: the WAV file holds a non-finite sample at frame ${i}`,
        source,
      );
    }
    if (Math.abs(value) > MAX_SAMPLE_MAGNITUDE) {
      throw new DataError(
        `${source}: the WAV file holds a sample of ${value.toPrecision(3)} at frame ${i}, far ` +
          'outside the full scale of ±1; the file is corrupt, re-export it',
        source,
      );
    }
    out[i] = value;
  }
  return out;
}
