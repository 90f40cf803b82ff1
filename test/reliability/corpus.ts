/**
 * Builders for the bad-input corpus: valid files (PNG, JPEG, WAV, IDX, CSV) made in memory so
 * each test can break them its own way, and a temp-dir helper. Everything is small and seeded.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import wavefile from 'wavefile';
import { MmaeError } from '../../src/errors/errors.js';

export interface TempDir {
  readonly dir: string;
  write(name: string, data: Uint8Array | string): Promise<string>;
  remove(): Promise<void>;
}

export async function makeTempDir(prefix = 'mmae-reliability-'): Promise<TempDir> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return {
    dir,
    async write(name, data) {
      const path = join(dir, name);
      await writeFile(path, data);
      return path;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

/** A 28×28 grayscale gradient, the MNIST geometry. */
function gradientPixels(width = 28, height = 28): Buffer {
  const pixels = Buffer.alloc(width * height);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (i * 7) % 256;
  return pixels;
}

export async function validPng(): Promise<Uint8Array> {
  return sharp(gradientPixels(), { raw: { width: 28, height: 28, channels: 1 } })
    .png()
    .toBuffer();
}

export async function validJpeg(): Promise<Uint8Array> {
  return sharp(gradientPixels(), { raw: { width: 28, height: 28, channels: 1 } })
    .jpeg({ quality: 90 })
    .toBuffer();
}

export function sine(sampleRate: number, seconds: number, frequency = 440): Float32Array {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) {
    out[i] = 0.5 * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  }
  return out;
}

/** Floats in [-1, 1] → wavefile's stored values for a bit depth ('16', '24', '32f'). */
function stored(samples: Float32Array, bitDepth: string): number[] {
  if (bitDepth === '32f' || bitDepth === '64') return Array.from(samples);
  const max = 2 ** (Number(bitDepth) - 1) - 1;
  return Array.from(samples, (v) => Math.round(v * max));
}

/** One Float32Array per channel → WAV bytes. */
export function wavBytes(
  channels: readonly Float32Array[],
  sampleRate: number,
  bitDepth: '16' | '24' | '32f',
): Uint8Array {
  const wav = new wavefile.WaveFile();
  const data = channels.map((c) => stored(c, bitDepth));
  wav.fromScratch(channels.length, sampleRate, bitDepth, channels.length === 1 ? data[0] : data);
  return wav.toBuffer();
}

/** Offset of the 4-byte sample rate field in a canonical 44-byte-header WAV. */
export const WAV_SAMPLE_RATE_OFFSET = 24;

/** An IDX file of unsigned bytes: magic 0x0000080N, the dims, then the values. */
export function idxBytes(dims: readonly number[], fill = 17): Uint8Array {
  const count = dims.reduce((a, b) => a * b, 1);
  const bytes = new Uint8Array(4 + 4 * dims.length + count);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, 0x00000800 | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  bytes.fill(fill, 4 + 4 * dims.length);
  return bytes;
}

/** Awaits `work` and returns what it threw, failing when it succeeds. */
export async function thrown(work: () => Promise<unknown> | unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error, but the call succeeded');
}

/** A typed mmae error whose message mentions every string of `mentions`. */
export async function expectMmaeError<T extends MmaeError>(
  work: () => Promise<unknown> | unknown,
  type: abstract new (...args: never[]) => T,
  mentions: readonly string[] = [],
): Promise<T> {
  const error = await thrown(work);
  if (!(error instanceof type)) {
    throw new Error(`expected ${type.name}, got ${String((error as Error)?.stack ?? error)}`);
  }
  for (const text of mentions) {
    if (!error.message.includes(text)) {
      throw new Error(`the ${type.name} message does not mention '${text}': ${error.message}`);
    }
  }
  return error;
}
