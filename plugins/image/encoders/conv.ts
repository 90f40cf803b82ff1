/**
 * Convolutional image encoder: stride-2 conv2d layers (each halves height and width, rounding
 * up) → flatten → ReLU dense layers. Training it needs the Conv2DBackpropFilter kernel, which
 * the wasm backend gets from src/backend/.
 */
import * as tf from '@tensorflow/tfjs';
import { kernelInitializer } from '../initializers.js';
import type { ImageGeometry } from '../options.js';

export interface ConvEncoderArgs {
  readonly geometry: ImageGeometry;
  /** Channels of each conv2d layer, in order. */
  readonly filters: readonly number[];
  readonly kernelSize: number;
  /** Dense widths after flattening; the last is the embedding size. */
  readonly hiddenSizes: readonly number[];
  readonly seed?: number;
}

/** [b, h, w, c] → [b, hiddenSizes.at(-1)]. */
export function buildConvEncoder(args: ConvEncoderArgs): tf.Sequential {
  const { height, width, channels } = args.geometry;
  const model = tf.sequential({ name: 'image_conv_encoder' });
  args.filters.forEach((filters, index) => {
    model.add(
      tf.layers.conv2d({
        ...(index === 0 ? { inputShape: [height, width, channels] } : {}),
        filters,
        kernelSize: args.kernelSize,
        strides: 2,
        padding: 'same',
        activation: 'relu',
        kernelInitializer: kernelInitializer(args.seed, 'encoder-conv', index),
      }),
    );
  });
  model.add(tf.layers.flatten());
  args.hiddenSizes.forEach((units, index) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: kernelInitializer(args.seed, 'encoder-dense', index),
      }),
    );
  });
  return model;
}
