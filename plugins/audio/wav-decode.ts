/**
 * WAV bytes → mono float samples in [-1, 1] at the file's own rate. The RIFF structure is walked
 * by chunk headers only, so a caller can decode just the frames it uses: a 300 MB recording of
 * which one second is kept costs one second of memory. Every failure (truncated data, absurd
 * headers, an encoding we do not read) is a DataError that names the source.
 */
import type { DecodedAudio } from './decoded-audio.js';
import { DataError } from 'mmae/portable';

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
/** Real files have a handful of chunks; a file of millions of empty ones is refused, not walked. */
const MAX_CHUNKS = 4096;
/** The longest fmt chunk we read (WAVE_FORMAT_EXTENSIBLE is 40 bytes). */
const FMT_BYTES = 40;

/** Positioned reads of a WAV: bytes in memory or an open file. A read may return fewer bytes. */
export interface WavSource {
  readonly size: number;
  read(offset: number, length: number): Uint8Array;
}

export function bytesSource(bytes: Uint8Array): WavSource {
  return {
    size: bytes.length,
    read: (offset, length) => bytes.subarray(offset, Math.min(bytes.length, offset + length)),
  };
}

/** What the header says, checked: where the samples are and how they are stored. */
export interface WavLayout {
  readonly sampleRate: number;
  readonly channels: number;
  readonly bitsPerSample: number;
  readonly float: boolean;
  readonly bigEndian: boolean;
  /** Byte offset of the first frame. */
  readonly dataStart: number;
  readonly frames: number;
  /** Bytes per frame (all channels). */
  readonly frameBytes: number;
}

interface FmtChunk {
  audioFormat: number;
  numChannels: number;
  sampleRate: number;
  bitsPerSample: number;
  subformat?: number;
}

function ascii(bytes: Uint8Array, from: number, to: number): string {
  return String.fromCharCode(...bytes.subarray(from, to));
}

function unreadable(source: string, reason: string): DataError {
  return new DataError(
    `${source}: not a readable WAV file (${reason}); expected a RIFF/WAVE file with fmt and ` +
      'data chunks',
    source,
  );
}

function parseFmt(bytes: Uint8Array, chunkSize: number, bigEndian: boolean, source: string) {
  if (chunkSize < 16 || bytes.length < 16) {
    throw unreadable(source, 'the "fmt " chunk is cut off');
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const le = !bigEndian;
  const fmt: FmtChunk = {
    audioFormat: view.getUint16(0, le),
    numChannels: view.getUint16(2, le),
    sampleRate: view.getUint32(4, le),
    bitsPerSample: view.getUint16(14, le),
  };
  if (chunkSize > 20 && bytes.length >= 28) fmt.subformat = view.getUint32(24, le);
  return fmt;
}

/** Finds the first fmt and data chunks by walking chunk headers (the contents are not read). */
function findChunks(wav: WavSource, source: string) {
  const head = wav.read(0, 12);
  if (head.length < 12) throw unreadable(source, 'too short for a RIFF header');
  const container = ascii(head, 0, 4);
  if (!['RIFF', 'RIFX', 'RF64'].includes(container)) {
    throw unreadable(source, 'no RIFF signature');
  }
  if (ascii(head, 8, 12) !== 'WAVE') throw unreadable(source, 'no "WAVE" format identifier');
  const bigEndian = container === 'RIFX';
  let fmt: FmtChunk | undefined;
  let data: { start: number; chunkSize: number } | undefined;
  let position = 12;
  for (let chunks = 0; position <= wav.size - 8 && !(fmt && data); chunks++) {
    if (chunks === MAX_CHUNKS) throw unreadable(source, `more than ${MAX_CHUNKS} chunks`);
    const header = wav.read(position, 8);
    if (header.length < 8) break;
    const id = ascii(header, 0, 4);
    const chunkSize = new DataView(header.buffer, header.byteOffset, 8).getUint32(4, !bigEndian);
    if (id === 'fmt ' && fmt === undefined) {
      const bytes = wav.read(position + 8, Math.min(chunkSize, FMT_BYTES));
      fmt = parseFmt(bytes, chunkSize, bigEndian, source);
    } else if (id === 'data' && data === undefined) {
      data = { start: position + 8, chunkSize };
    }
    position += 8 + chunkSize + (chunkSize % 2);
  }
  if (fmt === undefined) throw unreadable(source, 'no "fmt " chunk');
  if (data === undefined) throw unreadable(source, 'no "data" chunk');
  return { fmt, data, bigEndian };
}

/** Reads and checks the header; `frames` is how many whole frames the data chunk holds. */
export function readWavLayout(wav: WavSource, source: string): WavLayout {
  if (wav.size === 0) throw new DataError(`${source}: the WAV file is empty (0 bytes)`, source);
  const { fmt, data, bigEndian } = findChunks(wav, source);
  const float = isFloat(fmt, source);
  checkHeader(fmt, source);
  const frameBytes = (fmt.numChannels * fmt.bitsPerSample) / 8;
  const present = Math.max(0, Math.min(data.chunkSize, wav.size - data.start));
  if (data.chunkSize !== STREAMING_CHUNK_SIZE && present < data.chunkSize) {
    throw new DataError(
      `${source}: the WAV file is truncated: its data chunk declares ${data.chunkSize} bytes ` +
        `but only ${present} are present`,
      source,
    );
  }
  if (present % frameBytes !== 0) {
    throw new DataError(
      `${source}: the WAV data (${present} bytes) is not a whole number of ` +
        `${fmt.numChannels}-channel ${fmt.bitsPerSample}-bit frames; the file is truncated`,
      source,
    );
  }
  const frames = present / frameBytes;
  if (frames === 0) throw new DataError(`${source}: the WAV file has no audio samples`, source);
  return {
    sampleRate: fmt.sampleRate,
    channels: fmt.numChannels,
    bitsPerSample: fmt.bitsPerSample,
    float,
    bigEndian,
    dataStart: data.start,
    frames,
    frameBytes,
  };
}

/** True for float samples, false for PCM; any other encoding is refused. */
function isFloat(fmt: FmtChunk, source: string): boolean {
  const format = fmt.audioFormat === FORMAT_EXTENSIBLE ? (fmt.subformat ?? -1) : fmt.audioFormat;
  const bits = fmt.bitsPerSample;
  if (format === FORMAT_PCM && [8, 16, 24, 32].includes(bits)) return false;
  if (format === FORMAT_FLOAT && (bits === 32 || bits === 64)) return true;
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

/** The stored value of one sample at `offset` of `view`, as wavefile reads it. */
function sampleReader(layout: WavLayout): (view: DataView, offset: number) => number {
  const le = !layout.bigEndian;
  switch (layout.float ? -layout.bitsPerSample : layout.bitsPerSample) {
    case 8:
      return (view, offset) => view.getUint8(offset);
    case 16:
      return (view, offset) => view.getInt16(offset, le);
    case 24:
      return le
        ? (view, offset) =>
            (view.getInt8(offset + 2) << 16) |
            (view.getUint8(offset + 1) << 8) |
            view.getUint8(offset)
        : (view, offset) =>
            (view.getInt8(offset) << 16) |
            (view.getUint8(offset + 1) << 8) |
            view.getUint8(offset + 2);
    case 32:
      return (view, offset) => view.getInt32(offset, le);
    case -32:
      return (view, offset) => view.getFloat32(offset, le);
    default:
      return (view, offset) => view.getFloat64(offset, le);
  }
}

/**
 * Frames `first` to `first + count` averaged to mono and scaled to [-1, 1]. Only those frames
 * are read from `wav`.
 */
export function decodeWavFrames(
  wav: WavSource,
  layout: WavLayout,
  source: string,
  first: number,
  count: number,
): Float32Array {
  const bytes = wav.read(layout.dataStart + first * layout.frameBytes, count * layout.frameBytes);
  if (bytes.length < count * layout.frameBytes) {
    throw new DataError(
      `${source}: the WAV file is truncated (it changed while it was read); read it again`,
      source,
    );
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const read = sampleReader(layout);
  const width = layout.bitsPerSample / 8;
  // Unsigned 8-bit is offset by 128; the rest are signed or float around 0.
  const offset = !layout.float && layout.bitsPerSample === 8 ? 128 : 0;
  const divisor = layout.float ? 1 : 2 ** (layout.bitsPerSample - 1);
  const norm = 1 / (divisor * layout.channels);
  const out = new Float32Array(count);
  for (let i = 0, at = 0; i < count; i++) {
    let sum = 0;
    for (let c = 0; c < layout.channels; c++, at += width) sum += read(view, at) - offset;
    const value = sum * norm;
    if (!Number.isFinite(value)) {
      throw new DataError(
        `${source}: the WAV file holds a non-finite sample at frame ${first + i}`,
        source,
      );
    }
    if (Math.abs(value) > MAX_SAMPLE_MAGNITUDE) {
      throw new DataError(
        `${source}: the WAV file holds a sample of ${value.toPrecision(3)} at frame ` +
          `${first + i}, far outside the full scale of ±1; the file is corrupt, re-export it`,
        source,
      );
    }
    out[i] = value;
  }
  return out;
}

/** A whole WAV in memory → all its samples. */
export function decodeWav(bytes: Uint8Array, source: string): DecodedAudio {
  const wav = bytesSource(bytes);
  const layout = readWavLayout(wav, source);
  return {
    sampleRate: layout.sampleRate,
    samples: decodeWavFrames(wav, layout, source, 0, layout.frames),
  };
}
