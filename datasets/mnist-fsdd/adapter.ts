/**
 * The 'mnist-fsdd' dataset: each spoken digit (FSDD) paired with handwritten images (MNIST) of
 * the same digit, optionally with a caption, for image–audio(–text) models. Speakers decide the
 * split, as in fsdd; test speakers get MNIST test images, the others MNIST train images.
 */
import { resolve } from 'node:path';
import type { DatasetAdapter, RawDataset, RawSplit, RawValue } from '../../src/data/contract.js';
import { lazySplit } from '../../src/data/splits.js';
import { deriveSeed } from '../../src/random/seeded-random.js';
import { DIGIT_CLASSES } from '../digits.js';
import { loadFsddLayout } from '../fsdd/adapter.js';
import type { FsddRecording } from '../fsdd/recordings.js';
import { loadMnistArrays, mnistImage, type MnistSplitArrays } from '../mnist/arrays.js';
import { captionFor, DEFAULT_CAPTION_TEMPLATES } from '../mnist-captions/captions.js';
import { DigitImagePools, drawPairs } from './pairing.js';
import { mnistFsddOptionsSchema, type MnistFsddOptions } from './options.js';

interface PairedSplitSource {
  readonly rows: Int32Array;
  readonly pairs: Int32Array;
  readonly mnist: MnistSplitArrays;
  readonly mnistName: 'train' | 'test';
}

export const mnistFsddAdapter: DatasetAdapter<MnistFsddOptions> = {
  id: 'mnist-fsdd',
  description:
    'FSDD spoken digits paired with MNIST images of the same digit (optionally captions), ' +
    'split by speaker.',
  optionsSchema: mnistFsddOptionsSchema,
  async load(options, context): Promise<RawDataset> {
    const { mnistDir, pairsPerRecording, captions, templates, ...fsddOptions } = options;
    const { recordings, split } = await loadFsddLayout(fsddOptions, context);
    const mnist = await loadMnistArrays(
      mnistDir === undefined ? undefined : resolve(context.baseDir, mnistDir),
    );
    const digitsOf = (rows: Int32Array) =>
      Int32Array.from(rows, (row) => (recordings[row] as FsddRecording).digit);
    const trainPools = new DigitImagePools(
      mnist.train,
      deriveSeed(context.seed, 'mnist-fsdd', 'train'),
    );
    const testPools = new DigitImagePools(
      mnist.test,
      deriveSeed(context.seed, 'mnist-fsdd', 'test'),
    );
    const source = (
      rows: Int32Array,
      pools: DigitImagePools,
      mnistName: 'train' | 'test',
    ): PairedSplitSource => ({
      rows,
      pairs: drawPairs(digitsOf(rows), pairsPerRecording, pools),
      mnist: mnist[mnistName],
      mnistName,
    });
    // Train draws before validation from the same pools, so their images never overlap.
    const sources = {
      train: source(split.train, trainPools, 'train'),
      validation: source(split.validation, trainPools, 'train'),
      test: source(split.test, testPools, 'test'),
    };
    const captionTemplates = templates ?? DEFAULT_CAPTION_TEMPLATES;
    const build = ({ rows, pairs, mnist: images, mnistName }: PairedSplitSource): RawSplit =>
      lazySplit(pairs.length, (i) => {
        const recording = recordings[rows[Math.floor(i / pairsPerRecording)] as number];
        const { file, path, digit, speaker } = recording as FsddRecording;
        const imageIndex = pairs[i] as number;
        const id = `${file}+mnist/${mnistName}/${imageIndex}`;
        const values: Record<string, RawValue> = {
          image: mnistImage(images, imageIndex),
          audio: { kind: 'file', path },
        };
        if (captions) {
          values.text = {
            kind: 'text',
            text: captionFor(digit, id, 0, context.seed, captionTemplates),
          };
        }
        return { id, label: digit, group: speaker, values };
      });
    return {
      id: 'mnist-fsdd',
      modalities: captions ? ['image', 'audio', 'text'] : ['image', 'audio'],
      classes: DIGIT_CLASSES,
      train: build(sources.train),
      validation: build(sources.validation),
      test: build(sources.test),
    };
  },
};
