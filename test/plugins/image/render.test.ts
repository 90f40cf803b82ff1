import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { renderGrid, renderImagePng } from '../../../plugins/image/node/sharp-image-io.js';
import { UsageError } from '../../../src/errors/errors.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { useWasmBackend } from '../../support/backend.js';

/** The PNG's own channel count, and its pixels read back in that many channels. */
async function readPng(png: Buffer) {
  const { channels } = await sharp(png).metadata();
  const { data, info } = await sharp(png)
    .toColourspace(channels === 1 ? 'b-w' : 'srgb')
    .raw()
    .toBuffer({ resolveWithObject: true });
  return { data, info: { ...info, channels } };
}

function seededFeatures(length: number, seed: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length }, () => random.next());
}

beforeAll(useWasmBackend);

describe('renderImagePng', () => {
  it('gives a grayscale PNG that decodes back to the same pixels within 1/255', async () => {
    const features = seededFeatures(28 * 28, 1);
    const png = await renderImagePng(features, { height: 28, width: 28, channels: 1 });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    const { data, info } = await readPng(png);
    expect([info.width, info.height, info.channels]).toEqual([28, 28, 1]);
    data.forEach((byte, i) =>
      expect(Math.abs(byte / 255 - features[i]!)).toBeLessThanOrEqual(1 / 255),
    );
  });

  it('gives an RGB PNG for three channels, pixels interleaved as in the features', async () => {
    const features = seededFeatures(4 * 6 * 3, 2);
    const png = await renderImagePng(features, { height: 4, width: 6, channels: 3 });
    const { data, info } = await readPng(png);
    expect([info.width, info.height, info.channels]).toEqual([6, 4, 3]);
    data.forEach((byte, i) =>
      expect(Math.abs(byte / 255 - features[i]!)).toBeLessThanOrEqual(1 / 255),
    );
  });

  it('clamps values outside [0,1] and NaN instead of wrapping around', async () => {
    const png = await renderImagePng(Float32Array.from([-3, 2, Number.NaN, 0.5]), {
      height: 2,
      width: 2,
      channels: 1,
    });
    const { data } = await readPng(png);
    expect(Array.from(data)).toEqual([0, 255, 0, 128]);
  });

  it('refuses features whose length does not fit the geometry', async () => {
    await expect(
      renderImagePng(new Float32Array(10), { height: 3, width: 3, channels: 1 }),
    ).rejects.toThrow(UsageError);
  });
});

describe('renderGrid', () => {
  it('lays images out row by row with padding and integer upscaling', async () => {
    const images = [0, 0.2, 0.6, 1].map((v) => new Float32Array(4).fill(v)); // four 2×2 grays
    const png = await renderGrid(images, 2, 3, { h: 2, w: 2, c: 1, padding: 1, scale: 2 });
    const { data, info } = await readPng(png);
    // 3 cells of 4 px + 4 paddings = 16 wide; 2 cells of 4 px + 3 paddings = 11 high.
    expect([info.width, info.height, info.channels]).toEqual([16, 11, 1]);
    const at = (x: number, y: number) => data[y * info.width + x];
    expect(at(0, 0)).toBe(128); // padding
    expect(at(1, 1)).toBe(0); // image 0, top-left
    expect(at(4, 4)).toBe(0); // image 0, bottom-right after ×2
    expect(at(6, 1)).toBe(51); // image 1
    expect(at(11, 1)).toBe(153); // image 2
    expect(at(1, 6)).toBe(255); // image 3, second row
    expect(at(11, 6)).toBe(128); // empty cell
  });

  it('accepts a tensor of images and leaves it undisposed', async () => {
    const images = tf.tensor4d(seededFeatures(3 * 2 * 2 * 3, 3), [3, 2, 2, 3]);
    const png = await renderGrid(images, 1, 3, { h: 2, w: 2, c: 3, padding: 0 });
    const { data, info } = await readPng(png);
    expect([info.width, info.height, info.channels]).toEqual([6, 2, 3]);
    const values = images.dataSync();
    // Pixel (x=2, y=1) is image 1's bottom-left pixel.
    const from = 1 * 12 + (1 * 2 + 0) * 3;
    const to = (1 * 6 + 2) * 3;
    for (let k = 0; k < 3; k++) {
      expect(Math.abs(data[to + k]! / 255 - values[from + k]!)).toBeLessThanOrEqual(1 / 255);
    }
    expect(images.isDisposed).toBe(false);
    images.dispose();
  });

  it('refuses more images than cells, naming the grid', async () => {
    const images = [new Float32Array(4), new Float32Array(4), new Float32Array(4)];
    await expect(renderGrid(images, 1, 2, { h: 2, w: 2, c: 1 })).rejects.toThrow(/1×2 grid/);
  });
});
