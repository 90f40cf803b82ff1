/**
 * Convolutional image decoder: latent → dense layers → reshape to the encoder's smallest grid →
 * (upSampling2d ×2 → conv2d) per filter level in reverse → conv2d to the channels → crop.
 * Nearest upsampling followed by a conv avoids conv2dTranspose's checkerboard artefacts.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelInitializer } from '../initializers.js';
import type { ImageGeometry } from '../options.js';
import type { DecoderOutputActivation } from '../output-range.js';
import { addMirroredDense } from './mirrored-dense.js';

export interface ConvDecoderArgs {
  readonly geometry: ImageGeometry;
  readonly latentSize: number;
  /** The encoder's conv channels, in encoder order. */
  readonly filters: readonly number[];
  readonly kernelSize: number;
  /** The encoder's dense widths, in encoder order. */
  readonly hiddenSizes: readonly number[];
  readonly outputActivation: DecoderOutputActivation;
  readonly seed?: number;
}

/** [b, latentSize] → [b, h, w, c]. */
export function buildConvDecoder(args: ConvDecoderArgs): tf.Sequential {
  const { height, width, channels } = args.geometry;
  const levels = args.filters.length;
  // The stride-2 'same' encoder rounds up at each level; start from that grid and crop at the end.
  const gridHeight = Math.ceil(height / 2 ** levels);
  const gridWidth = Math.ceil(width / 2 ** levels);
  const deepest = args.filters[levels - 1] as number;
  const model = tf.sequential({ name: 'image_conv_decoder' });
  addMirroredDense(model, args, 'decoder-dense');
  model.add(
    tf.layers.dense({
      units: gridHeight * gridWidth * deepest,
      activation: 'relu',
      kernelInitializer: kernelInitializer(args.seed, 'decoder-grid'),
    }),
  );
  model.add(tf.layers.reshape({ targetShape: [gridHeight, gridWidth, deepest] }));
  [...args.filters].reverse().forEach((filters, index) => {
    model.add(tf.layers.upSampling2d({ size: [2, 2] }));
    model.add(
      tf.layers.conv2d({
        filters,
        kernelSize: args.kernelSize,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: kernelInitializer(args.seed, 'decoder-conv', index),
      }),
    );
  });
  model.add(
    tf.layers.conv2d({
      filters: channels,
      kernelSize: args.kernelSize,
      padding: 'same',
      activation: args.outputActivation,
      kernelInitializer: kernelInitializer(args.seed, 'decoder-output'),
    }),
  );
  const extraRows = gridHeight * 2 ** levels - height;
  const extraCols = gridWidth * 2 ** levels - width;
  if (extraRows > 0 || extraCols > 0) {
    model.add(
      tf.layers.cropping2D({
        cropping: [
          [0, extraRows],
          [0, extraCols],
        ],
      }),
    );
  }
  return model;
}
