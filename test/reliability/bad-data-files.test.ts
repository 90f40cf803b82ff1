/**
 * The bad-input corpus for the modality plugins and the IDX reader: every broken file is refused
 * with a DataError naming it, and the formats we promise to read (24-bit, float, stereo WAV;
 * empty, huge and punctuation-only captions) are read.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataError } from '../../src/errors/errors.js';
import {
  IDX_IMAGES_MAGIC,
  IDX_LABELS_MAGIC,
  parseIdx,
  readIdxImages,
} from '../../datasets/mnist/idx.js';
import type { ModalityInstance } from '../../src/modality/contract.js';
import { audioPlugin } from '../../plugins/audio/index.js';
import { imagePlugin } from '../../plugins/image/index.js';
import { textPlugin } from '../../plugins/text/index.js';
import {
  expectMmaeError,
  idxBytes,
  makeTempDir,
  sine,
  validJpeg,
  validPng,
  wavBytes,
  WAV_SAMPLE_RATE_OFFSET,
  type TempDir,
} from './corpus.js';

let temp: TempDir;
beforeAll(async () => (temp = await makeTempDir()));
afterAll(() => temp.remove());

describe('broken images', () => {
  const image = imagePlugin.create(imagePlugin.optionsSchema.parse({}), {});

  it('refuses a truncated PNG file with a DataError naming the file', async () => {
    const png = await validPng();
    const path = await temp.write('truncated.png', png.subarray(0, png.length - 20));
    await expectMmaeError(() => image.prepare({ kind: 'file', path }, 'row-1'), DataError, [
      'truncated.png',
    ]);
  });

  it('refuses a PNG cut inside its header', async () => {
    const png = await validPng();
    const path = await temp.write('header-cut.png', png.subarray(0, 30));
    await expectMmaeError(() => image.prepare({ kind: 'file', path }, 'row-2'), DataError, [
      'header-cut.png',
    ]);
  });

  it('refuses a truncated JPEG file with a DataError naming the file', async () => {
    const jpeg = await validJpeg();
    const path = await temp.write('truncated.jpg', jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await expectMmaeError(() => image.prepare({ kind: 'file', path }, 'row-3'), DataError, [
      'truncated.jpg',
    ]);
  });

  it('refuses PNG and JPEG files whose bytes are corrupted', async () => {
    for (const [name, bytes] of [
      ['corrupt.png', await validPng()],
      ['corrupt.jpg', await validJpeg()],
    ] as const) {
      const broken = Uint8Array.from(bytes);
      for (let i = 40; i < broken.length - 10; i += 3) broken[i] = (broken[i] as number) ^ 0x55;
      const path = await temp.write(name, broken);
      await expectMmaeError(() => image.prepare({ kind: 'file', path }, name), DataError, [name]);
    }
  });

  it('refuses a zero-byte image file and a missing one', async () => {
    const path = await temp.write('empty.png', new Uint8Array(0));
    await expectMmaeError(() => image.prepare({ kind: 'file', path }, 'e'), DataError, [
      'empty.png',
      '0 bytes',
    ]);
    await expectMmaeError(
      () => image.prepare({ kind: 'file', path: `${temp.dir}/nowhere.png` }, 'n'),
      DataError,
      ['nowhere.png', 'does not exist'],
    );
  });

  it('still reads the valid PNG and JPEG the corpus breaks', async () => {
    for (const bytes of [await validPng(), await validJpeg()]) {
      const features = await image.prepare({ kind: 'bytes', data: bytes }, 'ok');
      expect(features.length).toBe(28 * 28);
      expect(features.every((v) => v >= 0 && v <= 1)).toBe(true);
    }
  });
});

describe('WAV files', () => {
  const options = audioPlugin.optionsSchema.parse({ durationSeconds: 0.25, melBands: 16 });
  let audio: ModalityInstance;
  beforeAll(async () => {
    const training = [{ kind: 'bytes' as const, data: wavBytes([sine(8000, 0.3)], 8000, '16') }];
    audio = audioPlugin.create(options, await audioPlugin.fit(training, options));
  });

  it('reads 32-bit float, 24-bit PCM and stereo WAVs into finite features of the same size', async () => {
    const files = {
      'float32.wav': wavBytes([sine(8000, 0.3)], 8000, '32f'),
      'pcm24.wav': wavBytes([sine(16000, 0.3)], 16000, '24'),
      'stereo.wav': wavBytes([sine(8000, 0.3), sine(8000, 0.3, 220)], 8000, '16'),
    };
    const reference = await audio.prepare(
      { kind: 'bytes', data: wavBytes([sine(8000, 0.3)], 8000, '16') },
      'ref',
    );
    for (const [name, bytes] of Object.entries(files)) {
      const path = await temp.write(name, bytes);
      const features = await audio.prepare({ kind: 'file', path }, name);
      expect(features.length, name).toBe(reference.length);
      expect(features.every(Number.isFinite), name).toBe(true);
    }
    // The same tone stored as float and as 16-bit PCM gives nearly the same features.
    const float = await audio.prepare({ kind: 'bytes', data: files['float32.wav'] }, 'f');
    const maxDiff = Math.max(
      ...Array.from(float, (v, i) => Math.abs(v - (reference[i] as number))),
    );
    expect(maxDiff).toBeLessThan(0.05);
  });

  it('refuses a WAV with a wrong RIFF header, naming the file', async () => {
    const bytes = Uint8Array.from(wavBytes([sine(8000, 0.3)], 8000, '16'));
    bytes.set([0x58, 0x58, 0x58, 0x58], 0);
    const path = await temp.write('wrong-header.wav', bytes);
    await expectMmaeError(
      () => audio.prepare({ kind: 'file', path }, 'wrong-header.wav'),
      DataError,
      ['wrong-header.wav', 'RIFF'],
    );
  });

  it('refuses a WAV with no samples and a zero-byte WAV', async () => {
    const none = await temp.write('no-samples.wav', wavBytes([new Float32Array(0)], 8000, '16'));
    await expectMmaeError(
      () => audio.prepare({ kind: 'file', path: none }, 'no-samples.wav'),
      DataError,
      ['no-samples.wav', 'no audio samples'],
    );
    const empty = await temp.write('empty.wav', new Uint8Array(0));
    await expectMmaeError(
      () => audio.prepare({ kind: 'file', path: empty }, 'empty.wav'),
      DataError,
      ['empty.wav'],
    );
  });

  it('refuses a WAV whose header declares an absurd sample rate', async () => {
    const bytes = Uint8Array.from(wavBytes([sine(8000, 0.3)], 8000, '16'));
    new DataView(bytes.buffer).setUint32(WAV_SAMPLE_RATE_OFFSET, 4_000_000_000, true);
    const path = await temp.write('absurd-rate.wav', bytes);
    await expectMmaeError(
      () => audio.prepare({ kind: 'file', path }, 'absurd-rate.wav'),
      DataError,
      ['absurd-rate.wav', 'sample rate'],
    );
  });

  it('refuses a float WAV whose corrupt samples would overflow the spectrogram', async () => {
    const bytes = Uint8Array.from(wavBytes([sine(8000, 0.3)], 8000, '32f'));
    new DataView(bytes.buffer).setFloat32(44 + 400, 1e30, true);
    const path = await temp.write('huge-sample.wav', bytes);
    await expectMmaeError(
      () => audio.prepare({ kind: 'file', path }, 'huge-sample.wav'),
      DataError,
      ['huge-sample.wav', 'frame 100'],
    );
  });

  it('refuses decoded audio with samples far outside full scale', async () => {
    const samples = sine(8000, 0.3);
    samples[7] = 1e30;
    await expectMmaeError(
      () => audio.prepare({ kind: 'decoded', value: { sampleRate: 8000, samples } }, 'api-input'),
      DataError,
      ['api-input', 'index 7'],
    );
  });

  it('refuses a WAV truncated inside its data chunk', async () => {
    const bytes = wavBytes([sine(8000, 0.3)], 8000, '16');
    const path = await temp.write('cut.wav', bytes.subarray(0, 1001));
    await expectMmaeError(() => audio.prepare({ kind: 'file', path }, 'cut.wav'), DataError, [
      'cut.wav',
    ]);
  });
});

describe('captions', () => {
  const options = textPlugin.optionsSchema.parse({ maxLength: 8 });
  let text: ModalityInstance;
  beforeAll(async () => {
    const training = ['a one', 'a two', 'the digit three'].map((t) => ({
      kind: 'text' as const,
      text: t,
    }));
    text = textPlugin.create(options, await textPlugin.fit(training, options));
  });

  it('turns empty, 100,000-character and punctuation-only captions into fixed-length token ids', async () => {
    for (const caption of ['', 'one '.repeat(25_000), '!?.,;:—…']) {
      const ids = await text.prepare({ kind: 'text', text: caption }, 'row');
      expect(ids).toBeInstanceOf(Int32Array);
      expect(ids.length).toBe(8);
      expect(ids.every((id) => Number.isInteger(id) && id >= 0)).toBe(true);
    }
  });

  it('refuses invalid UTF-8 bytes and .txt files with a DataError naming the source', async () => {
    const invalid = Uint8Array.from([0x61, 0x20, 0xff, 0xfe, 0xc3]);
    await expectMmaeError(
      () => text.prepare({ kind: 'text', text: invalid }, 'captions.csv:7'),
      DataError,
      ['captions.csv:7', 'UTF-8'],
    );
    const path = await temp.write('caption.txt', invalid);
    await expectMmaeError(() => text.prepare({ kind: 'file', path }, 'row-9'), DataError, [
      'caption.txt',
      'UTF-8',
    ]);
  });
});

describe('IDX files', () => {
  it('refuses a wrong magic number, naming the file and both magics', async () => {
    const labels = idxBytes([10]);
    const path = await temp.write('swapped-idx3-ubyte', labels);
    await expectMmaeError(() => readIdxImages(path), DataError, [
      'swapped-idx3-ubyte',
      '0x00000801',
      '0x00000803',
    ]);
  });

  it('refuses a file shorter or longer than its dimensions say', () => {
    const images = idxBytes([3, 4, 4]);
    expect(() =>
      parseIdx(images.subarray(0, images.length - 1), 'short.idx', IDX_IMAGES_MAGIC),
    ).toThrow(/short\.idx.*truncated/);
    const long = new Uint8Array(images.length + 5);
    long.set(images);
    expect(() => parseIdx(long, 'long.idx', IDX_IMAGES_MAGIC)).toThrow(/long\.idx.*extra bytes/);
    expect(() => parseIdx(images.subarray(0, 9), 'header.idx', IDX_IMAGES_MAGIC)).toThrow(
      DataError,
    );
    expect(() => parseIdx(new Uint8Array(0), 'zero.idx', IDX_LABELS_MAGIC)).toThrow(DataError);
  });

  it('refuses a corrupt gzip IDX file with a DataError', async () => {
    const path = await temp.write('bad.idx.gz', Uint8Array.from([0x1f, 0x8b, 8, 0, 1, 2, 3]));
    await expectMmaeError(() => readIdxImages(path), DataError, ['bad.idx.gz']);
  });
});
