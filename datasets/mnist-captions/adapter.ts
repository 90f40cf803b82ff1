/**
 * The 'mnist-captions' dataset: MNIST images paired with short captions naming the digit, for
 * image–text models. With captionsPerImage k, each image appears k times with distinct captions.
 */
import type { DatasetAdapter, RawDataset, RawSplit } from 'mmae';
import { lazySplit } from 'mmae';
import { loadMnist } from '../mnist/adapter.js';
import { captionFor, DEFAULT_CAPTION_TEMPLATES } from './captions.js';
import { mnistCaptionsOptionsSchema, type MnistCaptionsOptions } from './options.js';

function withCaptions(
  split: RawSplit,
  perImage: number,
  seed: number,
  templates: readonly string[],
): RawSplit {
  return lazySplit(split.size * perImage, (i) => {
    const image = split.sample(Math.floor(i / perImage));
    const variant = i % perImage;
    const text = captionFor(image.label as number, image.id, variant, seed, templates);
    return {
      id: perImage === 1 ? image.id : `${image.id}#${variant}`,
      label: image.label,
      values: { ...image.values, text: { kind: 'text', text } },
    };
  });
}

export const mnistCaptionsAdapter: DatasetAdapter<MnistCaptionsOptions> = {
  id: 'mnist-captions',
  description: 'MNIST images with seeded template captions such as "a handwritten seven".',
  optionsSchema: mnistCaptionsOptionsSchema,
  async load(options, context): Promise<RawDataset> {
    const { captionsPerImage, templates, ...mnistOptions } = options;
    const mnist = await loadMnist(mnistOptions, context);
    const wrap = (split: RawSplit) =>
      withCaptions(split, captionsPerImage, context.seed, templates ?? DEFAULT_CAPTION_TEMPLATES);
    return {
      id: 'mnist-captions',
      modalities: ['image', 'text'],
      classes: mnist.classes,
      train: wrap(mnist.train),
      validation: wrap(mnist.validation),
      test: wrap(mnist.test),
    };
  },
};
