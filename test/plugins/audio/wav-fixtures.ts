/** Small synthetic WAV fixtures for the audio tests, written with wavefile. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import wavefile from 'wavefile';

export function tone(frequency: number, sampleRate: number, seconds: number, amplitude = 0.5) {
  const out = new Float32Array(Math.round(sampleRate * seconds));
  for (let i = 0; i < out.length; i++) {
    out[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / sampleRate);
  }
  return out;
}

/** Floats in [-1, 1] → stored values for a wavefile bit depth code ('8', '16', '24', '32', '32f', '64'). */
export function toStored(samples: Float32Array, bitDepth: string): number[] {
  if (bitDepth === '32f' || bitDepth === '64') return Array.from(samples);
  if (bitDepth === '8') return Array.from(samples, (v) => Math.round(v * 127) + 128);
  const max = 2 ** (Number(bitDepth) - 1) - 1;
  return Array.from(samples, (v) => Math.round(v * max));
}

/** One array of floats per channel → WAV bytes. */
export function wavBytes(
  channels: Float32Array[],
  sampleRate: number,
  bitDepth: string,
): Uint8Array {
  const wav = new wavefile.WaveFile();
  const stored = channels.map((c) => toStored(c, bitDepth));
  wav.fromScratch(
    channels.length,
    sampleRate,
    bitDepth,
    channels.length === 1 ? stored[0] : stored,
  );
  return wav.toBuffer();
}

export function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'mmae-audio-'));
}

export function writeTemp(dir: string, name: string, bytes: Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** Frequency (Hz) of the strongest bin of a zero-padded FFT of the signal. */
export async function dominantFrequency(
  samples: Float32Array,
  sampleRate: number,
): Promise<number> {
  const { default: FFT } = await import('fft.js');
  const size = 1 << Math.ceil(Math.log2(Math.max(samples.length, 8192)));
  const fft = new FFT(size);
  const input = new Float64Array(size);
  input.set(samples);
  const out = new Float64Array(2 * size);
  fft.realTransform(out, input);
  let best = 0;
  let bestBin = 0;
  for (let k = 1; k < size / 2; k++) {
    const power = (out[2 * k] as number) ** 2 + (out[2 * k + 1] as number) ** 2;
    if (power > best) [best, bestBin] = [power, k];
  }
  return (bestBin * sampleRate) / size;
}

export function rms(samples: Float32Array, from = 0, to = samples.length): number {
  let sum = 0;
  for (let i = from; i < to; i++) sum += (samples[i] as number) ** 2;
  return Math.sqrt(sum / Math.max(1, to - from));
}

/**
 * A WAVE_FORMAT_EXTENSIBLE file written by hand (wavefile writes only the plain header):
 * 16-bit PCM, interleaved channel values given directly.
 */
export function extensibleWav16(channels: number, sampleRate: number, interleaved: number[]) {
  const blockAlign = channels * 2;
  const dataBytes = interleaved.length * 2;
  const b = Buffer.alloc(12 + 8 + 40 + 8 + dataBytes);
  b.write('RIFF', 0);
  b.writeUInt32LE(b.length - 8, 4);
  b.write('WAVE', 8);
  b.write('fmt ', 12);
  b.writeUInt32LE(40, 16);
  b.writeUInt16LE(0xfffe, 20);
  b.writeUInt16LE(channels, 22);
  b.writeUInt32LE(sampleRate, 24);
  b.writeUInt32LE(sampleRate * blockAlign, 28);
  b.writeUInt16LE(blockAlign, 32);
  b.writeUInt16LE(16, 34);
  b.writeUInt16LE(22, 36); // cbSize
  b.writeUInt16LE(16, 38); // valid bits
  b.writeUInt32LE(3, 40); // channel mask
  // KSDATAFORMAT_SUBTYPE_PCM: 00000001-0000-0010-8000-00aa00389b71
  b.writeUInt32LE(1, 44);
  b.writeUInt32LE(0x00100000, 48);
  b.writeUInt32LE(0xaa000080, 52);
  b.writeUInt32LE(0x719b3800, 56);
  b.write('data', 60);
  b.writeUInt32LE(dataBytes, 64);
  interleaved.forEach((v, i) => b.writeInt16LE(v, 68 + 2 * i));
  return new Uint8Array(b);
}
