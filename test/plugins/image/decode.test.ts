import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DecodeTarget } from '../../../plugins/image/decode.js';
import { decodeImage } from '../../../plugins/image/node/sharp-image-io.js';
import { DataError } from '../../../src/errors/errors.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';

const GRAY_5x4: DecodeTarget = { width: 5, height: 4, channels: 1, resize: 'contain' };
const RGB_5x4: DecodeTarget = { ...GRAY_5x4, channels: 3 };

function seededBytes(length: number, seed: number): Uint8Array {
  const random = new SeededRandom(seed);
  return Uint8Array.from({ length }, () => random.int(256));
}

function encode(pixels: Uint8Array, width: number, height: number, channels: 1 | 3 | 4) {
  return sharp(pixels, { raw: { width, height, channels } });
}

function unit(bytes: Uint8Array): number[] {
  return Array.from(bytes, (b) => b / 255);
}

async function expectDataError(promise: Promise<unknown>, file: string, words: RegExp) {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DataError);
  expect((error as DataError).file).toBe(file);
  expect((error as DataError).message).toContain(file);
  expect((error as DataError).message).toMatch(words);
}

describe('decodeImage', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'mmae-image-decode-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('decodes a grayscale PNG file to its exact pixels scaled to [0,1]', async () => {
    const pixels = seededBytes(20, 1);
    const path = join(dir, 'gray.png');
    await writeFile(path, await encode(pixels, 5, 4, 1).png().toBuffer());
    const features = await decodeImage({ kind: 'file', path }, 'row-1', GRAY_5x4);
    expect(features).toBeInstanceOf(Float32Array);
    expect(Array.from(features)).toEqual(unit(pixels).map((v) => Math.fround(v)));
  });

  it('decodes an RGB PNG to interleaved [h, w, 3] values', async () => {
    const pixels = seededBytes(60, 2);
    const data = await encode(pixels, 5, 4, 3).png().toBuffer();
    const features = await decodeImage({ kind: 'bytes', data }, 'row-2', RGB_5x4);
    expect(features.length).toBe(60);
    expect(Array.from(features)).toEqual(unit(pixels).map((v) => Math.fround(v)));
  });

  it('decodes lossless WebP bytes exactly', async () => {
    const pixels = seededBytes(60, 3);
    const data = await encode(pixels, 5, 4, 3).webp({ lossless: true }).toBuffer();
    const features = await decodeImage({ kind: 'bytes', data }, 'row-3', RGB_5x4);
    expect(Array.from(features)).toEqual(unit(pixels).map((v) => Math.fround(v)));
  });

  it('decodes a JPEG of a flat colour to that colour within JPEG rounding', async () => {
    const pixels = new Uint8Array(8 * 8 * 3).map((_, i) => [200, 100, 50][i % 3] as number);
    const data = await encode(pixels, 8, 8, 3).jpeg({ quality: 95 }).toBuffer();
    const target: DecodeTarget = { width: 8, height: 8, channels: 3, resize: 'contain' };
    const features = await decodeImage({ kind: 'bytes', data, name: 'flat.jpg' }, 'r', target);
    features.forEach((value, i) => {
      expect(Math.abs(value - (pixels[i] as number) / 255)).toBeLessThan(4 / 255);
    });
  });

  it('turns RGB into one gray channel and gray into three equal channels', async () => {
    // Left pixel of each row pure red, the rest pure green.
    const rgb = new Uint8Array(20 * 3).map((_, i) => {
      const pixel = Math.floor(i / 3);
      return (pixel % 5 === 0 ? [255, 0, 0] : [0, 255, 0])[i % 3] as number;
    });
    const fromRgb = await decodeImage(
      { kind: 'bytes', data: await encode(rgb, 5, 4, 3).png().toBuffer() },
      'red-green',
      GRAY_5x4,
    );
    expect(fromRgb.length).toBe(20);
    // Green is brighter than red to the eye, and both are brighter than black.
    expect(fromRgb[0]).toBeGreaterThan(0.1);
    expect(fromRgb[1]).toBeGreaterThan(fromRgb[0] as number);

    const gray = new Uint8Array(20).fill(128);
    const fromGray = await decodeImage(
      { kind: 'bytes', data: await encode(gray, 5, 4, 1).png().toBuffer() },
      'gray',
      RGB_5x4,
    );
    expect(fromGray.length).toBe(60);
    expect(new Set(fromGray).size).toBe(1);
    expect(fromGray[0]).toBeCloseTo(128 / 255, 5);
  });

  it('composites transparent pixels onto black', async () => {
    const rgba = new Uint8Array(20 * 4).map((_, i) => (i % 4 === 3 ? 0 : 255));
    const data = await encode(rgba, 5, 4, 4).png().toBuffer();
    const features = await decodeImage({ kind: 'bytes', data }, 'clear', GRAY_5x4);
    expect(Math.max(...features)).toBe(0);
  });

  it('resizes to the target size, letterboxing another aspect ratio on black by default', async () => {
    const white = new Uint8Array(8 * 4).fill(255); // 8 wide, 4 high
    const data = await encode(white, 8, 4, 1).png().toBuffer();
    const target: DecodeTarget = { width: 4, height: 4, channels: 1, resize: 'contain' };
    const features = await decodeImage({ kind: 'bytes', data }, 'wide', target);
    expect(features.length).toBe(16);
    const rows = [0, 1, 2, 3].map((y) => Array.from(features.subarray(y * 4, y * 4 + 4)));
    expect(rows[0]).toEqual([0, 0, 0, 0]);
    expect(rows[1]).toEqual([1, 1, 1, 1]);
    expect(rows[2]).toEqual([1, 1, 1, 1]);
    expect(rows[3]).toEqual([0, 0, 0, 0]);

    const filled = await decodeImage({ kind: 'bytes', data }, 'wide', {
      ...target,
      resize: 'fill',
    });
    expect(Array.from(filled)).toEqual(new Array(16).fill(1));
  });

  it('scales decoded pixels of the target size directly, without sharp', async () => {
    const data = seededBytes(20, 4);
    const image = { kind: 'decoded', value: { width: 5, height: 4, channels: 1, data } } as const;
    const features = await decodeImage(image, 'mnist/train/0', GRAY_5x4);
    expect(Array.from(features)).toEqual(unit(data).map((v) => Math.fround(v)));
  });

  it('resizes decoded pixels of another size', async () => {
    const data = new Uint8Array(10 * 8).fill(255);
    const image = { kind: 'decoded', value: { width: 10, height: 8, channels: 1, data } } as const;
    const features = await decodeImage(image, 'big', GRAY_5x4);
    expect(Array.from(features)).toEqual(new Array(20).fill(1));
  });

  it('rejects decoded pixels whose length disagrees with their size', async () => {
    const image = {
      kind: 'decoded',
      value: { width: 5, height: 4, channels: 1, data: new Uint8Array(19) },
    } as const;
    await expectDataError(decodeImage(image, 'mnist/train/9', GRAY_5x4), 'mnist/train/9', /19/);
  });

  it('rejects decoded pixels with a channel count other than 1, 3 or 4', async () => {
    const raw = {
      kind: 'decoded',
      value: { width: 5, height: 4, channels: 2, data: new Uint8Array(40) },
    } as const;
    await expectDataError(decodeImage(raw, 'row-8', GRAY_5x4), 'row-8', /channel count/);
  });

  it('reports a zero-byte file as empty, naming it', async () => {
    const path = join(dir, 'empty.png');
    await writeFile(path, new Uint8Array(0));
    await expectDataError(decodeImage({ kind: 'file', path }, path, GRAY_5x4), path, /empty/);
  });

  it('reports a file of random bytes as not decodable, naming it', async () => {
    const path = join(dir, 'noise.png');
    await writeFile(path, seededBytes(300, 5));
    await expectDataError(
      decodeImage({ kind: 'file', path }, 'row-7', GRAY_5x4),
      path,
      /cannot be decoded.*PNG, JPEG and WebP/,
    );
  });

  it('reports a truncated PNG as corrupt, naming it', async () => {
    const png = await encode(seededBytes(64 * 64, 6), 64, 64, 1)
      .png()
      .toBuffer();
    const path = join(dir, 'truncated.png');
    await writeFile(path, png.subarray(0, Math.floor(png.length / 2)));
    await expectDataError(
      decodeImage({ kind: 'file', path }, path, GRAY_5x4),
      path,
      /corrupt|truncated/,
    );
  });

  it('reports a truncated JPEG as corrupt, naming it', async () => {
    const jpeg = await encode(seededBytes(64 * 64 * 3, 7), 64, 64, 3)
      .jpeg()
      .toBuffer();
    const path = join(dir, 'truncated.jpg');
    await writeFile(path, jpeg.subarray(0, Math.floor(jpeg.length / 2)));
    await expectDataError(
      decodeImage({ kind: 'file', path }, path, GRAY_5x4),
      path,
      /corrupt|truncated/,
    );
  });

  it('rejects formats other than PNG, JPEG and WebP, naming the format', async () => {
    const path = join(dir, 'digit.gif');
    await writeFile(path, await encode(seededBytes(20, 8), 5, 4, 1).gif().toBuffer());
    await expectDataError(decodeImage({ kind: 'file', path }, path, GRAY_5x4), path, /'gif'/);
  });

  it('reports a missing file as missing, naming it', async () => {
    const path = join(dir, 'nowhere.png');
    await expectDataError(
      decodeImage({ kind: 'file', path }, path, GRAY_5x4),
      path,
      /does not exist/,
    );
  });

  it('rejects a text value fed to the image modality, naming the sample', async () => {
    await expectDataError(
      decodeImage({ kind: 'text', text: 'seven' }, 'row-3', GRAY_5x4),
      'row-3',
      /'text'/,
    );
  });
});
