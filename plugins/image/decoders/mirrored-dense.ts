import * as tf from '@tensorflow/tfjs';
import { kernelInitializer } from '../initializers.js';

/**
 * The decoder's dense half: the encoder's widths walked backwards from the latent, ReLU, seeded
 * per layer under `label`. Both image decoders start with it.
 */
export function addMirroredDense(
  model: tf.Sequential,
  args: {
    readonly latentSize: number;
    readonly hiddenSizes: readonly number[];
    readonly seed?: number;
  },
  label: string,
): void {
  [...args.hiddenSizes].reverse().forEach((units, index) => {
    model.add(
      tf.layers.dense({
        ...(index === 0 ? { inputShape: [args.latentSize] } : {}),
        units,
        activation: 'relu',
        kernelInitializer: kernelInitializer(args.seed, label, index),
      }),
    );
  });
}
