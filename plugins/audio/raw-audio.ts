/**
 * Any raw value the audio modality accepts (a WAV path, WAV bytes, decoded audio) → mono
 * float samples at the configured rate.
 */
import type { RawValue } from 'mmae/portable';
import { DataError } from 'mmae/portable';
import { DECODED_AUDIO_SHAPE, decodedAudioProblem, type DecodedAudio } from './decoded-audio.js';
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
 * Reads a WAV file by path: opens it (the Node edge, node/wav-files.ts, with the plugin kit's
 * size and regular-file checks) and hands `decode` positioned reads of it, so only the frames
 * the clip needs are read. `checkBytes` may refuse the clip's size before its frames are read.
 */
export interface WavFileReader {
  readClip(
    path: string,
    source: string,
    decode: (wav: WavSource, where: string, checkBytes: (bytes: number) => void) => Float32Array,
  ): Promise<Float32Array>;
}

/**
 * `files` reads WAV paths; without it (a browser build) a path is refused, and WAV bytes or
 * decoded audio are read as everywhere. `keepSeconds`, when given, keeps only the centred window of that length that the features
 * use (the same samples as resampling everything and then centring). Only the frames that
 * window needs are decoded, and from a file only those are read, so long files stay cheap.
 */
export async function readRawAudio(
  raw: RawValue,
  source: string,
  sampleRate: number,
  keepSeconds?: number,
  files?: WavFileReader,
): Promise<Float32Array> {
  switch (raw.kind) {
    case 'file':
      if (!files) {
        throw new DataError(
          `${source}: this build of the audio modality reads no files, so it cannot read ` +
            `${raw.path}; give the WAV's bytes or decoded audio (${DECODED_AUDIO_SHAPE}).`,
          source,
        );
      }
      return files.readClip(raw.path, source, (wav, where, checkBytes) =>
        clipOf(wav, where, sampleRate, keepSeconds, checkBytes),
      );
    case 'bytes': {
      const where = raw.name && raw.name !== source ? `${source} (${raw.name})` : source;
      return clipOf(bytesSource(raw.data), where, sampleRate, keepSeconds);
    }
    case 'decoded': {
      const audio = checkDecoded(raw.value, source);
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

function checkDecoded(value: unknown, source: string): DecodedAudio {
  const problem = decodedAudioProblem(value);
  if (problem !== undefined) {
    throw new DataError(
      `${source}: decoded audio must be ${DECODED_AUDIO_SHAPE}, but ${problem}`,
      source,
    );
  }
  const audio = value as DecodedAudio;
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
