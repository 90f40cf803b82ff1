/** Binds resolved image options into the ModalityInstance the core trains with. */
import { featureOutputRange } from './output-range.js';
import * as tf from '@tensorflow/tfjs';
import type { ModalityInstance } from 'mmae/portable';
import { ConfigError } from 'mmae/portable';
import { IMAGE_DECODERS, IMAGE_ENCODERS } from './architectures.js';
import { imageCorruptions } from './corruptions.js';
import { decodeImage } from './decode.js';
import { portableImageIo, type ImageIo } from './image-io.js';
import { IMAGE_LIKELIHOODS } from './loss.js';
import { imageMetrics } from './metrics.js';
import { geometryOf, type ImageOptions } from './options.js';
import { renderImagePng } from './render.js';

/**
 * The contract's `buildEncoder()` and `buildDecoder(latentSize)` take no seed; ours accept an
 * optional one so that a caller who has a seed gets reproducible weights.
 */
export interface ImageModalityInstance extends ModalityInstance {
  buildEncoder(seed?: number): tf.Sequential;
  buildDecoder(latentSize: number, seed?: number): tf.Sequential;
  metrics(target: tf.Tensor, output: tf.Tensor): { mse: number; psnr: number };
}

/**
 * `io` is the platform's file and codec access: sharp on Node (plugins/image/index.ts binds it),
 * the portable I/O by default, which takes decoded pixels and writes PNG in plain JavaScript.
 */
export function createImageInstance(
  options: ImageOptions,
  id = 'image',
  io: ImageIo = portableImageIo,
): ImageModalityInstance {
  const geometry = geometryOf(options);
  const likelihood = IMAGE_LIKELIHOODS[options.likelihood];
  return {
    id,
    featureSpec: { shape: [geometry.height, geometry.width, geometry.channels], dtype: 'float32' },
    outputRange: featureOutputRange(options),
    prepare: (raw, source) => decodeImage(raw, source, { ...geometry, resize: options.resize }, io),
    buildEncoder: (seed) => IMAGE_ENCODERS[options.encoder](options, seed),
    buildDecoder: (latentSize, seed) => {
      if (!Number.isInteger(latentSize) || latentSize < 1) {
        throw new ConfigError(
          `Image decoder: latent size ${latentSize} is not a positive integer.`,
          'latentSize',
        );
      }
      return IMAGE_DECODERS[options.decoder](options, latentSize, seed);
    },
    reconstructionLoss: (target, output) => likelihood.loss(target, output),
    outputToFeatures: (output) => likelihood.toFeatures(output),
    render: async (features) => ({
      kind: 'png',
      data: await renderImagePng(features, geometry, io.encodePng),
    }),
    corruptions: imageCorruptions([geometry.height, geometry.width, geometry.channels]),
    metrics: (target, output) => {
      const features = likelihood.toFeatures(output);
      try {
        return imageMetrics(target, features);
      } finally {
        features.dispose();
      }
    },
  };
}
