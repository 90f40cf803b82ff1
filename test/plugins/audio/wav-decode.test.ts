import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nodeWavFiles } from '../../../plugins/audio/node/wav-files.js';
import { readRawAudio } from '../../../plugins/audio/raw-audio.js';
import { decodeWav } from '../../../plugins/audio/wav-decode.js';
import { DataError } from '../../../src/errors/errors.js';
import wavefile from 'wavefile';
import { extensibleWav16, tempDir, tone, wavBytes, writeTemp } from './wav-fixtures.js';

const RATE = 8000;
const reference = tone(300, RATE, 0.1);

function maxError(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++)
    worst = Math.max(worst, Math.abs((a[i] as number) - (b[i] as number)));
  return worst;
}

/** Expects `action` to throw a DataError whose message names `name` and matches `reason`. */
async function expectDataError(action: () => unknown, name: string, reason: RegExp) {
  const error = await Promise.resolve()
    .then(action)
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(error).toBeInstanceOf(DataError);
  expect((error as Error).message).toContain(name);
  expect((error as Error).message).toMatch(reason);
}

describe('decodeWav', () => {
  it.each([
    ['8', 1 / 100],
    ['16', 1e-4],
    ['24', 1e-6],
    ['32', 1e-6],
    ['32f', 1e-7],
    ['64', 1e-7],
  ])(
    'reads %s-bit WAVs as floats in [-1, 1] matching the written waveform',
    (bitDepth, tolerance) => {
      const decoded = decodeWav(wavBytes([reference], RATE, bitDepth), `tone-${bitDepth}.wav`);
      expect(decoded.sampleRate).toBe(RATE);
      expect(decoded.samples.length).toBe(reference.length);
      expect(maxError(decoded.samples, reference)).toBeLessThan(tolerance);
    },
  );

  it('mixes stereo and multi-channel files down to mono by averaging the channels', () => {
    const left = tone(300, RATE, 0.1, 0.6);
    const right = new Float32Array(left.length).fill(0.2);
    const decoded = decodeWav(wavBytes([left, right], RATE, '16'), 'stereo.wav');
    const expected = left.map((v, i) => (v + (right[i] as number)) / 2);
    expect(maxError(decoded.samples, expected)).toBeLessThan(1e-4);

    const three = decodeWav(wavBytes([left, right, right], RATE, '24'), 'three.wav');
    expect(
      maxError(
        three.samples,
        left.map((v) => (v + 0.4) / 3),
      ),
    ).toBeLessThan(1e-5);
  });

  it('skips other chunks, padded to an even size, between the fmt and data chunks', () => {
    const plain = wavBytes([reference], RATE, '16');
    const list = new Uint8Array([...new TextEncoder().encode('LIST'), 3, 0, 0, 0, 97, 98, 99, 0]);
    const withList = new Uint8Array([...plain.subarray(0, 36), ...list, ...plain.subarray(36)]);
    const decoded = decodeWav(withList, 'list.wav');
    expect(Array.from(decoded.samples)).toEqual(Array.from(decodeWav(plain, 'plain.wav').samples));
  });

  it('refuses a file of thousands of empty chunks instead of walking them all', () => {
    const plain = wavBytes([reference], RATE, '16');
    const junk = new Uint8Array(8 * 5000);
    for (let i = 0; i < 5000; i++) junk.set(new TextEncoder().encode('junk'), 8 * i);
    const bytes = new Uint8Array([...plain.subarray(0, 12), ...junk, ...plain.subarray(12)]);
    expect(() => decodeWav(bytes, 'junk.wav')).toThrow(
      /junk\.wav: not a readable WAV.*4096 chunks/,
    );
  });

  it('reads WAVE_FORMAT_EXTENSIBLE PCM files', () => {
    const decoded = decodeWav(extensibleWav16(2, 16_000, [16384, 0, -16384, -8192]), 'ext.wav');
    expect(decoded.sampleRate).toBe(16_000);
    expect(Array.from(decoded.samples)).toEqual([0.25, -0.375]);
  });
});

describe('bad WAV input', () => {
  const good = wavBytes([reference], RATE, '16');

  it('an empty file is a DataError naming the file', async () => {
    const path = writeTemp(tempDir(), 'empty.wav', new Uint8Array(0));
    await expectDataError(
      () => readRawAudio({ kind: 'file', path }, 'row 3', RATE, undefined, nodeWavFiles),
      'empty.wav',
      /empty \(0 bytes\)/,
    );
  });

  it('a file that is not RIFF/WAVE is a DataError naming the file, not a wavefile stack', async () => {
    const path = writeTemp(
      tempDir(),
      'noise.wav',
      new TextEncoder().encode('this is not audio at all'),
    );
    await expectDataError(
      () => readRawAudio({ kind: 'file', path }, path, RATE, undefined, nodeWavFiles),
      'noise.wav',
      /not a readable WAV/,
    );
  });

  it('a file cut off inside its data chunk is reported as truncated', async () => {
    const path = writeTemp(tempDir(), 'cut.wav', good.slice(0, 44 + 101));
    await expectDataError(
      () => readRawAudio({ kind: 'file', path }, path, RATE, undefined, nodeWavFiles),
      'cut.wav',
      /truncated/,
    );
  });

  it('a file cut off before its data chunk is a DataError naming the file', async () => {
    const path = writeTemp(tempDir(), 'header-only.wav', good.slice(0, 30));
    await expectDataError(
      () => readRawAudio({ kind: 'file', path }, path, RATE, undefined, nodeWavFiles),
      'header-only.wav',
      /not a readable WAV/,
    );
  });

  it('a WAV with no samples is a DataError', async () => {
    const empty = wavBytes([new Float32Array(0)], RATE, '16');
    await expectDataError(
      () => readRawAudio({ kind: 'bytes', data: empty, name: 'silent.wav' }, 'fsdd/train/7', RATE),
      'silent.wav',
      /no audio samples/,
    );
  });

  it('an absurd sample rate in the header is a DataError', async () => {
    const bytes = good.slice();
    new DataView(bytes.buffer).setUint32(24, 3, true);
    await expectDataError(
      () => decodeWav(bytes, 'slow.wav'),
      'slow.wav',
      /implausible sample rate of 3 Hz/,
    );
  });

  it('an encoding other than PCM or float (A-law) is a DataError that says what to convert to', async () => {
    const wav = new wavefile.WaveFile(good);
    wav.toALaw();
    await expectDataError(
      () => decodeWav(wav.toBuffer(), 'alaw.wav'),
      'alaw.wav',
      /unsupported WAV encoding/,
    );
  });

  it('a missing file is a DataError naming the sample and the path', async () => {
    const path = `${tempDir()}/absent.wav`;
    await expectDataError(
      () => readRawAudio({ kind: 'file', path }, 'row 9', RATE, undefined, nodeWavFiles),
      'row 9',
      /ENOENT/,
    );
  });

  it('decoded audio with a bad rate, no samples or NaN is a DataError', async () => {
    const check = (sampleRate: number, samples: Float32Array) =>
      readRawAudio({ kind: 'decoded', value: { sampleRate, samples } }, 'clip-1', RATE);
    await expectDataError(() => check(0, reference), 'clip-1', /sample rate/);
    await expectDataError(() => check(RATE, new Float32Array(0)), 'clip-1', /no samples/);
    await expectDataError(() => check(RATE, new Float32Array([0, NaN])), 'clip-1', /non-finite/);
  });

  it('a text value is a DataError saying which kinds the audio modality takes', async () => {
    await expectDataError(
      () => readRawAudio({ kind: 'text', text: 'seven' }, 'row 1', RATE),
      'row 1',
      /WAV file, WAV bytes or decoded audio/,
    );
  });

  it('reads WAV files from disk as written', async () => {
    const path = writeTemp(tempDir(), 'ok.wav', good);
    expect(readFileSync(path).length).toBe(good.length);
    const samples = await readRawAudio({ kind: 'file', path }, path, RATE, undefined, nodeWavFiles);
    expect(maxError(samples, reference)).toBeLessThan(1e-4);
  });
});
