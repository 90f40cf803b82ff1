/**
 * Seeded pairing of recordings with MNIST images of the same digit. Each digit has a shuffled
 * pool of MNIST indices; pairs are drawn from the pool in order, so no image repeats until the
 * pool is used up. Train and validation draw from one pool of the MNIST train file in turn, so
 * their images are disjoint; test draws from the MNIST test file.
 */
import { SeededRandom } from 'mmae';
import type { MnistSplitArrays } from '../mnist/arrays.js';

export class DigitImagePools {
  private readonly pools: Int32Array[];
  private readonly cursors = new Int32Array(10);

  constructor(arrays: MnistSplitArrays, seed: number) {
    const random = new SeededRandom(seed);
    const byDigit: number[][] = Array.from({ length: 10 }, () => []);
    arrays.labels.forEach((label, index) => byDigit[label]?.push(index));
    this.pools = byDigit.map((indices) => Int32Array.from(random.shuffle(indices)));
  }

  /** The next image index of `digit`, wrapping around when its pool is used up. */
  next(digit: number): number {
    const pool = this.pools[digit] as Int32Array;
    if (pool.length === 0) throw new RangeError(`MNIST holds no image of digit ${digit}`);
    const cursor = this.cursors[digit] as number;
    this.cursors[digit] = cursor + 1;
    return pool[cursor % pool.length] as number;
  }
}

/** Image indices for `digits.length × perItem` pairs, drawn in order from `pools`. */
export function drawPairs(
  digits: ArrayLike<number>,
  perItem: number,
  pools: DigitImagePools,
): Int32Array {
  const pairs = new Int32Array(digits.length * perItem);
  for (let i = 0; i < pairs.length; i++) {
    pairs[i] = pools.next(digits[Math.floor(i / perItem)] as number);
  }
  return pairs;
}
