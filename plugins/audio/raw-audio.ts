/**
 * Any raw value the audio modality accepts (a WAV path, WAV bytes, decoded audio) → mono
 * float samples at the configured rate.
 */
import { readSync } from 'node:fs';
import type { DecodedAudio, RawValue, InputFile, InputFileRequest } from '../../src/index.js';
import { formatBytes, inputLimit, openInputFile, tooLarge, DataError } from '../../src/index.js';
import { resample, resampledLength, resampleInputSpan, type ResampleRange } from './resample.js';
import {
  MAX_RATE,
  MAX_SAMPLE_MAGNITUDE,
  MIN_RATE,
  bytesSource,
  decodeWavFrames,
  readWavLayout,
  type WavLayout,
  type WavSource,
} from './wav-decode.js';

/**
 * `keepSeconds`, when given, keeps only the centred window of that length that the features
 * use (the same samples as resampling everything and then centring). Only the frames that
 * window needs are decoded, and from a file only those are read, so long files stay cheap.
 */
export async function readRawAudio(
  raw: RawValue,
  source: string,
  sampleRate: number,
  keepSeconds?: number,
): Promise<Float32Array> {
  switch (raw.kind) {
    case 'file':
      return readWavFile(raw.path, source, sampleRate, keepSeconds);
    case 'bytes': {
      const where = raw.name && raw.name !== source ? `${source} (${raw.name})` : source;
      return clipOf(bytesSource(raw.data), where, sampleRate, keepSeconds);
    }
    case 'audio': {
      const audio = checkDecoded(raw, source);
      const plan = planClip(audio.samples.length, audio.sampleRate, sampleRate, keepSeconds);
      return resample(audio.samples, audio.sampleRate, sampleRate, plan.range);
    }
    default:
      throw new DataError(
        `${source}: the audio modality takes a WAV file, WAV bytes or decoded audio, ` +
          `got a '${raw.kind}' value`,
        source,
      );
  }
}

/** Which input frames to decode, and which part of the resampled output to keep. */
interface ClipPlan {
  readonly first: number;
  readonly count: number;
  readonly range?: ResampleRange;
}

function planClip(
  frames: number,
  fromRate: number,
  toRate: number,
  keepSeconds: number | undefined,
): ClipPlan {
  const total = resampledLength(frames, fromRate, toRate);
  const keep = keepSeconds === undefined ? total : Math.round(keepSeconds * toRate);
  if (keep >= total) return { first: 0, count: frames };
  const range = { start: Math.floor((total - keep) / 2), length: keep };
  return { ...resampleInputSpan(range, frames, fromRate, toRate), range };
}

/** Decodes the frames the clip needs; `checkBytes` may refuse their size before they are read. */
function clipOf(
  wav: WavSource,
  where: string,
  sampleRate: number,
  keepSeconds: number | undefined,
  checkBytes?: (bytes: number) => void,
): Float32Array {
  const layout = readWavLayout(wav, where);
  const plan = planClip(layout.frames, layout.sampleRate, sampleRate, keepSeconds);
  checkBytes?.(plan.count * layout.frameBytes);
  if (layout.float && plan.count < layout.frames) checkFloatFrames(wav, layout, where);
  const samples = decodeWavFrames(wav, layout, where, plan.first, plan.count);
  return resample(samples, layout.sampleRate, sampleRate, plan.range, plan.first);
}

/** Frames per block when a float file is scanned: 1 MiB of stereo float32. */
const SCAN_FRAMES = 131_072;

/**
 * Float samples can be corrupt (NaN, 1e30) where PCM cannot, and a corrupt value anywhere
 * means a corrupt file: every frame is checked, one bounded block at a time.
 */
function checkFloatFrames(wav: WavSource, layout: WavLayout, where: string): void {
  for (let first = 0; first < layout.frames; first += SCAN_FRAMES) {
    decodeWavFrames(wav, layout, where, first, Math.min(SCAN_FRAMES, layout.frames - first));
  }
}

async function readWavFile(
  path: string,
  source: string,
  sampleRate: number,
  keepSeconds: number | undefined,
): Promise<Float32Array> {
  const where = path === source ? source : `${source} (${path})`;
  const request: InputFileRequest = { kind: 'audio', what: 'WAV file', of: source };
  const limit = inputLimit('audio');
  const file = await openInputFile(path, request);
  try {
    return clipOf(fileSource(file), where, sampleRate, keepSeconds, (bytes) => {
      if (bytes > limit.bytes) {
        throw tooLarge(path, request, `its clip needs ${formatBytes(bytes)} of samples`, limit);
      }
    });
  } catch (cause) {
    if (cause instanceof DataError) throw cause;
    const code = (cause as NodeJS.ErrnoException).code ?? String(cause);
    throw new DataError(`${where}: the WAV file cannot be read (${code})`, path, { cause });
  } finally {
    await file.close();
  }
}

/**
 * Positioned reads of an open regular file. They are synchronous so that one header walk
 * serves files and in-memory bytes alike; they read a few chunk headers and the clip's frames.
 */
function fileSource(file: InputFile): WavSource {
  return {
    size: file.size,
    read(offset, length) {
      const buffer = Buffer.allocUnsafeSlow(Math.max(0, Math.min(length, file.size - offset)));
      let filled = 0;
      while (filled < buffer.length) {
        const n = readSync(file.handle.fd, buffer, filled, buffer.length - filled, offset + filled);
        if (n === 0) break;
        filled += n;
      }
      return buffer.subarray(0, filled);
    },
  };
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
