/**
 * The 'mnist-fsdd' dataset: each spoken digit (FSDD) paired with handwritten images (MNIST) of
 * the same digit, optionally with a caption, for image–audio(–text) models. Speakers decide the
 * split, as in fsdd; test speakers get MNIST test images, the others MNIST train images.
 */
import { resolve } from 'node:path';
import type { DatasetAdapter, RawDataset, RawSplit, RawValue } from 'mmae';
import { lazySplit, deriveSeed } from 'mmae';
import { DIGIT_CLASSES } from '../digits.js';
import { loadFsddLayout } from '../fsdd/adapter.js';
import type { FsddRecording } from '../fsdd/recordings.js';
import { loadMnistArrays, mnistImage, type MnistArrays } from '../mnist/arrays.js';
import { captionFor, DEFAULT_CAPTION_TEMPLATES } from '../mnist-captions/captions.js';
import { DigitImagePools, drawPairs } from './pairing.js';
import { mnistFsddOptionsSchema, type MnistFsddOptions } from './options.js';

/** One split's recordings (rows into `recordings`) and the MNIST image paired with each. */
interface PairedSplitSource {
  readonly rows: Int32Array;
  readonly pairs: Int32Array;
  readonly mnistName: 'train' | 'test';
}

interface PairingContext {
  readonly recordings: readonly FsddRecording[];
  readonly mnist: MnistArrays;
  readonly pairsPerRecording: number;
  /** Caption templates, or undefined for no captions. */
  readonly templates: readonly string[] | undefined;
  readonly seed: number;
}

function pairedSplit(source: PairedSplitSource, context: PairingContext): RawSplit {
  const { rows, pairs, mnistName } = source;
  const { recordings, mnist, pairsPerRecording, templates, seed } = context;
  return lazySplit(pairs.length, (i) => {
    const recording = recordings[rows[Math.floor(i / pairsPerRecording)] as number];
    const { file, path, digit, speaker } = recording as FsddRecording;
    const imageIndex = pairs[i] as number;
    const id = `${file}+mnist/${mnistName}/${imageIndex}`;
    const values: Record<string, RawValue> = {
      image: mnistImage(mnist[mnistName], imageIndex),
      audio: { kind: 'file', path },
    };
    if (templates !== undefined) {
      values.text = { kind: 'text', text: captionFor(digit, id, 0, seed, templates) };
    }
    return { id, label: digit, group: speaker, values };
  });
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
    const pools = {
      train: new DigitImagePools(mnist.train, deriveSeed(context.seed, 'mnist-fsdd', 'train')),
      test: new DigitImagePools(mnist.test, deriveSeed(context.seed, 'mnist-fsdd', 'test')),
    };
    const source = (rows: Int32Array, mnistName: 'train' | 'test'): PairedSplitSource => {
      const digits = Int32Array.from(rows, (row) => (recordings[row] as FsddRecording).digit);
      return { rows, mnistName, pairs: drawPairs(digits, pairsPerRecording, pools[mnistName]) };
    };
    // Train draws before validation from the same pools, so their images never overlap.
    const sources = {
      train: source(split.train, 'train'),
      validation: source(split.validation, 'train'),
      test: source(split.test, 'test'),
    };
    const pairing: PairingContext = {
      recordings,
      mnist,
      pairsPerRecording,
      templates: captions ? (templates ?? DEFAULT_CAPTION_TEMPLATES) : undefined,
      seed: context.seed,
    };
    return {
      id: 'mnist-fsdd',
      modalities: captions ? ['image', 'audio', 'text'] : ['image', 'audio'],
      classes: DIGIT_CLASSES,
      train: pairedSplit(sources.train, pairing),
      validation: pairedSplit(sources.validation, pairing),
      test: pairedSplit(sources.test, pairing),
    };
  },
};
