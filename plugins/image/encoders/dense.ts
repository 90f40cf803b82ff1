/** Dense image encoder: flatten → ReLU layers. The seed's MLP is 784-128-64-32. */
import * as tf from '@tensorflow/tfjs';
import { kernelInitializer } from '../initializers.js';
import type { ImageGeometry } from '../options.js';

export interface DenseEncoderArgs {
  readonly geometry: ImageGeometry;
  /** Widths in order; the last is the embedding size. */
  readonly hiddenSizes: readonly number[];
  readonly seed?: number;
}

/** [b, h, w, c] → [b, hiddenSizes.at(-1)]. */
export function buildDenseEncoder(args: DenseEncoderArgs): tf.Sequential {
  const { height, width, channels } = args.geometry;
  const model = tf.sequential({ name: 'image_dense_encoder' });
  model.add(tf.layers.flatten({ inputShape: [height, width, channels] }));
  args.hiddenSizes.forEach((units, index) => {
    model.add(
      tf.layers.dense({
        units,
        activation: 'relu',
        kernelInitializer: kernelInitializer(args.seed, 'encoder', index),
      }),
    );
  });
  return model;
}
