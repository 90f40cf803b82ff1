/**
 * Encoder and decoder architectures by the name used in the options. Adding one is a new file
 * and a new entry here, plus its name in the options enum.
 */
import type * as tf from '@tensorflow/tfjs';
import { buildConvDecoder } from './decoders/conv.js';
import { buildDenseDecoder } from './decoders/dense.js';
import { buildConvEncoder } from './encoders/conv.js';
import { buildDenseEncoder } from './encoders/dense.js';
import { geometryOf, type ImageOptions } from './options.js';
import { decoderOutputActivation } from './output-range.js';

type Architecture = ImageOptions['encoder'];

export const IMAGE_ENCODERS: Readonly<
  Record<Architecture, (options: ImageOptions, seed?: number) => tf.Sequential>
> = {
  dense: (options, seed) =>
    buildDenseEncoder({ geometry: geometryOf(options), hiddenSizes: options.hiddenSizes, seed }),
  conv: (options, seed) =>
    buildConvEncoder({
      geometry: geometryOf(options),
      filters: options.filters,
      kernelSize: options.kernelSize,
      hiddenSizes: options.hiddenSizes,
      seed,
    }),
};

export const IMAGE_DECODERS: Readonly<
  Record<Architecture, (options: ImageOptions, latentSize: number, seed?: number) => tf.Sequential>
> = {
  dense: (options, latentSize, seed) =>
    buildDenseDecoder({
      geometry: geometryOf(options),
      latentSize,
      hiddenSizes: options.hiddenSizes,
      outputActivation: decoderOutputActivation(options),
      seed,
    }),
  conv: (options, latentSize, seed) =>
    buildConvDecoder({
      geometry: geometryOf(options),
      latentSize,
      filters: options.filters,
      kernelSize: options.kernelSize,
      hiddenSizes: options.hiddenSizes,
      outputActivation: decoderOutputActivation(options),
      seed,
    }),
};
