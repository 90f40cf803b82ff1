/**
 * Test helper: the smallest single-modality autoencoder the core would build from an image
 * instance (encoder → dense latent → decoder), trained with a plain tf loop and Adam.
 */
import * as tf from '@tensorflow/tfjs';
import type { ImageModalityInstance } from '../../../plugins/image/instance.js';

export interface TinyAutoencoder {
  /** Mean per-sample reconstruction loss on `x` without training. */
  evaluate(x: tf.Tensor4D): number;
  /** One Adam step on the batch; returns its mean loss. */
  step(x: tf.Tensor4D): number;
  dispose(): void;
}

export function buildAutoencoder(
  instance: ImageModalityInstance,
  latentSize: number,
  seed: number,
  learningRate = 1e-3,
): TinyAutoencoder {
  const encoder = instance.buildEncoder(seed);
  const latent = tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [encoder.outputs[0]?.shape[1] as number],
        units: latentSize,
        kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 1 }),
      }),
    ],
  });
  const decoder = instance.buildDecoder(latentSize, seed + 2);
  const models = [encoder, latent, decoder];
  const variables = models.flatMap((m) => m.trainableWeights.map((w) => w.read() as tf.Variable));
  const optimizer = tf.train.adam(learningRate);
  const meanLoss = (x: tf.Tensor4D) => {
    const output = decoder.apply(latent.apply(encoder.apply(x))) as tf.Tensor;
    return instance.reconstructionLoss(x, output).mean() as tf.Scalar;
  };
  return {
    evaluate: (x) => tf.tidy(() => meanLoss(x).dataSync()[0] as number),
    step: (x) => {
      const cost = optimizer.minimize(() => meanLoss(x), true, variables) as tf.Scalar;
      const value = cost.dataSync()[0] as number;
      cost.dispose();
      return value;
    },
    dispose: () => {
      models.forEach((m) => m.dispose());
      optimizer.dispose();
    },
  };
}
