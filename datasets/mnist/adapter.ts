/**
 * The 'mnist' dataset: handwritten digits as 28×28 grey images. Validation is carved from the
 * train file with a seeded permutation; test is the t10k file in file order.
 */
import { resolve } from 'node:path';
import type { DatasetAdapter, RawDataset, RawSample } from 'mmae';
import { ConfigError, deriveSeed, SeededRandom, lazySplit, splitIndices } from 'mmae';
import { DIGIT_CLASSES } from '../digits.js';
import { loadMnistArrays, mnistImage, type MnistSplitArrays } from './arrays.js';
import { mnistOptionsSchema, type MnistOptions } from './options.js';

/** A sample of MNIST split `name` at file index `index`. */
export function mnistSample(
  arrays: MnistSplitArrays,
  name: 'train' | 'test',
  index: number,
): RawSample {
  return {
    id: `mnist/${name}/${index}`,
    label: arrays.labels[index] as number,
    values: { image: mnistImage(arrays, index) },
  };
}

function withoutClasses(
  indices: Int32Array,
  arrays: MnistSplitArrays,
  excluded: readonly number[],
): Int32Array {
  if (excluded.length === 0) return indices;
  return indices.filter((i) => !excluded.includes(arrays.labels[i] as number));
}

/** A seeded random subset of `limit` indices, kept in ascending order. */
function limitTo(indices: Int32Array, limit: number | undefined, seed: number): Int32Array {
  if (limit === undefined || limit >= indices.length) return indices;
  const pick = new SeededRandom(seed).permutation(indices.length).subarray(0, limit);
  return Int32Array.from(pick, (k) => indices[k] as number).sort();
}

export async function loadMnist(
  options: MnistOptions,
  context: { seed: number; baseDir: string },
): Promise<RawDataset> {
  const arrays = await loadMnistArrays(
    options.dir === undefined ? undefined : resolve(context.baseDir, options.dir),
  );
  const { train, test } = arrays;
  if (options.validationSize >= train.count) {
    throw new ConfigError(
      `mnist validationSize ${options.validationSize} leaves no training images out of ` +
        `${train.count}; lower it.`,
      'validationSize',
    );
  }
  const carved = splitIndices(
    train.count,
    { validation: options.validationSize, test: 0 },
    deriveSeed(context.seed, 'mnist', 'validation'),
  );
  const excluded = options.excludeClasses ?? [];
  const trainRows = limitTo(
    withoutClasses(carved.train, train, excluded),
    options.trainLimit,
    deriveSeed(context.seed, 'mnist', 'trainLimit'),
  );
  const validationRows = withoutClasses(carved.validation, train, excluded);
  const testCount = Math.min(options.testLimit ?? test.count, test.count);
  return {
    id: 'mnist',
    modalities: ['image'],
    classes: DIGIT_CLASSES,
    ...(excluded.length ? { heldOutClasses: [...excluded] } : {}),
    train: lazySplit(trainRows.length, (i) => mnistSample(train, 'train', trainRows[i] as number)),
    validation: lazySplit(validationRows.length, (i) =>
      mnistSample(train, 'train', validationRows[i] as number),
    ),
    test: lazySplit(testCount, (i) => mnistSample(test, 'test', i)),
  };
}

export const mnistAdapter: DatasetAdapter<MnistOptions> = {
  id: 'mnist',
  description:
    'MNIST handwritten digits (28×28 grey images, labels 0–9); validation carved from train.',
  optionsSchema: mnistOptionsSchema,
  load: loadMnist,
};
