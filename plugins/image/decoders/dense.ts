/** Dense image decoder: the dense encoder's mirror, latent → reversed hidden sizes → pixels. */
import * as tf from '@tensorflow/tfjs';
import { kernelInitializer } from '../initializers.js';
import type { ImageGeometry } from '../options.js';
import type { DecoderOutputActivation } from '../output-range.js';
import { addMirroredDense } from './mirrored-dense.js';

export interface DenseDecoderArgs {
  readonly geometry: ImageGeometry;
  readonly latentSize: number;
  /** The encoder's widths, in encoder order; the decoder walks them backwards. */
  readonly hiddenSizes: readonly number[];
  /** 'linear' for Bernoulli logits; the Gaussian mean's activation otherwise. */
  readonly outputActivation: DecoderOutputActivation;
  readonly seed?: number;
}

/** [b, latentSize] → [b, h, w, c]. */
export function buildDenseDecoder(args: DenseDecoderArgs): tf.Sequential {
  const { height, width, channels } = args.geometry;
  const model = tf.sequential({ name: 'image_dense_decoder' });
  addMirroredDense(model, args, 'decoder');
  model.add(
    tf.layers.dense({
      units: height * width * channels,
      activation: args.outputActivation,
      kernelInitializer: kernelInitializer(args.seed, 'decoder-output'),
    }),
  );
  model.add(tf.layers.reshape({ targetShape: [height, width, channels] }));
  return model;
}
