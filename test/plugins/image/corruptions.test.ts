import { describe, expect, it } from 'vitest';
import {
  gaussianImageNoise,
  imageCorruptions,
  occludeImage,
} from '../../../plugins/image/corruptions.js';
import { createImageInstance } from '../../../plugins/image/instance.js';
import { imageOptionsSchema } from '../../../plugins/image/options.js';
import { SeededRandom, UsageError } from '../../../src/index.js';

const shape = [8, 10, 3] as const;

function greyImages(n: number): Float32Array {
  return new Float32Array(n * 8 * 10 * 3).fill(0.5);
}

describe('gaussianImageNoise', () => {
  it('is deterministic under a seed and differs across seeds', () => {
    const x = greyImages(2);
    const a = gaussianImageNoise(x, shape, 0.2, new SeededRandom(1));
    const b = gaussianImageNoise(x, shape, 0.2, new SeededRandom(1));
    const c = gaussianImageNoise(x, shape, 0.2, new SeededRandom(2));
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
  });

  it('keeps pixels in [0, 1], leaves the input untouched and has the requested spread', () => {
    const x = greyImages(20);
    const noisy = gaussianImageNoise(x, shape, 0.1, new SeededRandom(3));
    expect(x.every((v) => v === 0.5)).toBe(true);
    expect(noisy.every((v) => v >= 0 && v <= 1)).toBe(true);
    let sq = 0;
    for (const v of noisy) sq += (v - 0.5) ** 2;
    expect(Math.sqrt(sq / noisy.length)).toBeCloseTo(0.1, 2);
  });

  it('rejects data that is not whole images', () => {
    expect(() => gaussianImageNoise(new Float32Array(7), shape, 0.1, new SeededRandom(0))).toThrow(
      UsageError,
    );
  });
});

describe('occludeImage', () => {
  it('blanks exactly one square patch of the requested side per image, in all channels', () => {
    const x = new Float32Array(3 * 8 * 10 * 3).fill(1);
    const out = occludeImage(x, shape, 0.5, new SeededRandom(4));
    for (let s = 0; s < 3; s++) {
      const img = out.subarray(s * 240, (s + 1) * 240);
      const zeros = img.filter((v) => v === 0).length;
      expect(zeros).toBe(4 * 4 * 3);
      // The zeros form a square: find the bounding box of zero pixels.
      const ys: number[] = [];
      const xs: number[] = [];
      for (let y = 0; y < 8; y++) {
        for (let xx = 0; xx < 10; xx++) {
          if (img[(y * 10 + xx) * 3] !== 0) continue;
          ys.push(y);
          xs.push(xx);
        }
      }
      expect(Math.max(...ys) - Math.min(...ys)).toBe(3);
      expect(Math.max(...xs) - Math.min(...xs)).toBe(3);
    }
  });

  it('places patches identically under the same seed', () => {
    const x = new Float32Array(5 * 240).fill(1);
    expect(occludeImage(x, shape, 0.3, new SeededRandom(9))).toEqual(
      occludeImage(x, shape, 0.3, new SeededRandom(9)),
    );
  });
});

describe('the image corruptions an image instance declares', () => {
  it('are pixel noise and occlusion, applied to one image without changing it', () => {
    const instance = createImageInstance(
      imageOptionsSchema.parse({ height: 8, width: 10, channels: 3 }),
    );
    expect(instance.corruptions?.map((c) => `${c.name}@${c.levels.join(',')}`)).toEqual([
      'gaussian@0,0.1,0.2,0.4',
      'occlusion@0,0.25,0.5,0.75',
    ]);
    const image = greyImages(1);
    for (const corruption of imageCorruptions(shape)) {
      if (corruption.on !== 'features') throw new Error(`${corruption.name} is not on features`);
      const none = corruption.corrupt(image, 0, new SeededRandom(1));
      expect(none).toEqual(image);
      const worst = corruption.corrupt(image, corruption.levels.at(-1)!, new SeededRandom(1));
      expect(worst).toHaveLength(image.length);
      expect(worst).not.toEqual(image);
      expect(image.every((v) => v === 0.5)).toBe(true);
    }
  });
});
