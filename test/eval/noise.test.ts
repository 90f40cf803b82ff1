import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors/errors.js';
import {
  addNoiseAtSnr,
  dropWords,
  gaussianImageNoise,
  occludeImage,
  typos,
} from '../../src/eval/noise.js';
import { SeededRandom } from '../../src/random/seeded-random.js';

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

describe('text corruptions', () => {
  const text = 'a handwritten digit seven with a long stroke';

  it('drop nothing at rate 0, keep one word at rate 1 and repeat under a seed', () => {
    expect(dropWords(text, 0, new SeededRandom(1))).toBe(text);
    expect(dropWords(text, 1, new SeededRandom(1)).split(' ')).toHaveLength(1);
    const a = dropWords(text, 0.5, new SeededRandom(5));
    expect(a).toBe(dropWords(text, 0.5, new SeededRandom(5)));
    expect(a.split(' ').length).toBeLessThan(text.split(' ').length);
  });

  it('typos keep length and word count, change letters, and repeat under a seed', () => {
    expect(typos(text, 0, new SeededRandom(1))).toBe(text);
    const a = typos(text, 0.3, new SeededRandom(6));
    expect(a).toBe(typos(text, 0.3, new SeededRandom(6)));
    expect(a).not.toBe(text);
    expect(a).toHaveLength(text.length);
    expect(a.split(' ')).toHaveLength(text.split(' ').length);
  });

  it('rejects a rate outside [0, 1]', () => {
    expect(() => typos(text, 1.5, new SeededRandom(0))).toThrow(/rate is 1.5/);
  });
});

describe('addNoiseAtSnr', () => {
  it('adds noise whose power matches the requested SNR and repeats under a seed', () => {
    const n = 50_000;
    const signal = Float32Array.from({ length: n }, (_, i) => 0.5 * Math.sin(i / 7));
    const noisy = addNoiseAtSnr(signal, 10, new SeededRandom(7));
    const again = addNoiseAtSnr(signal, 10, new SeededRandom(7));
    expect(Buffer.compare(Buffer.from(noisy.buffer), Buffer.from(again.buffer))).toBe(0);
    let ps = 0;
    let pn = 0;
    for (let i = 0; i < n; i++) {
      ps += (signal[i] as number) ** 2;
      pn += ((noisy[i] as number) - (signal[i] as number)) ** 2;
    }
    expect(10 * Math.log10(ps / pn)).toBeCloseTo(10, 1);
  });

  it('leaves silence silent', () => {
    expect(addNoiseAtSnr(new Float32Array(10), 0, new SeededRandom(0))).toEqual(
      new Float32Array(10),
    );
  });
});
