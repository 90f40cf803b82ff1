/** The image modality as a declarative plugin record. */
import type { ModalityPlugin } from 'mmae/portable';
import { decodedImageForm } from './decoded-image.js';
import { IMAGE_FILE_LIMIT, imageFileKind } from './file-kind.js';
import type { ImageIo } from './image-io.js';
import { createImageInstance } from './instance.js';
import { imageOptionsSchema, type ImageOptions } from './options.js';

/** Images need no learned state: pixels are scaled to [0,1] by a fixed rule. */
export type ImageState = Record<string, never>;

/**
 * The plugin on a platform's file and codec access (`io`): index.ts binds sharp and the file
 * system for Node, portable.ts the portable I/O for a browser bundle.
 */
export const createImagePlugin = (io: ImageIo): ModalityPlugin<ImageOptions, ImageState> => ({
  id: 'image',
  description:
    'Images (PNG, JPEG, WebP files or decoded pixels) resized and scaled to [0,1]; dense or ' +
    'conv encoder and decoder; Bernoulli (logits) or Gaussian (mean) likelihood.',
  optionsSchema: imageOptionsSchema,
  queryFlag: 'image',
  rawInput: {
    strings: 'path',
    files: 'bytes',
    sizeLimit: IMAGE_FILE_LIMIT,
    decoded: decodedImageForm,
  },
  fileKind: imageFileKind,
  fit: async () => ({}),
  create: (options) => createImageInstance(options, 'image', io),
  convolutional: (options) => options.encoder === 'conv' || options.decoder === 'conv',
});
