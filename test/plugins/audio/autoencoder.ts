/**
 * A minimal single-modality autoencoder around a ModalityInstance for the tests: encoder → linear
 * latent → decoder, trained with a plain Adam loop on the instance's own reconstruction loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModalityInstance } from '../../../src/modality/contract.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';

export interface TrainResult {
  /** Mean per-sample loss over all rows before the first step and after the last epoch. */
  readonly initial: number;
  readonly final: number;
  /** Live tensors after the first and the last epoch (Adam's moments exist from step one). */
  readonly tensorsAfterFirstEpoch: number;
  readonly tensorsAfterLastEpoch: number;
}

export async function trainAutoencoder(
  instance: ModalityInstance,
  rows: readonly Float32Array[],
  settings: {
    latentSize: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    seed: number;
  },
): Promise<TrainResult> {
  const shape = instance.featureSpec.shape;
  const encoder = instance.buildEncoder();
  const latent = tf.layers.dense({
    units: settings.latentSize,
    kernelInitializer: tf.initializers.glorotUniform({ seed: settings.seed }),
  });
  const decoder = instance.buildDecoder(settings.latentSize);
  const data = tf.tensor([...rows.flatMap((r) => Array.from(r))], [rows.length, ...shape]);
  const forward = (x: tf.Tensor) => decoder.apply(latent.apply(encoder.apply(x))) as tf.Tensor;
  const meanLoss = (x: tf.Tensor) => instance.reconstructionLoss(x, forward(x)).mean() as tf.Scalar;
  const evaluate = () => tf.tidy(() => meanLoss(data).dataSync()[0] as number);

  const initial = evaluate();
  const variables = [encoder, latent, decoder].flatMap((m) =>
    m.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const optimizer = tf.train.adam(settings.learningRate);
  const random = new SeededRandom(settings.seed);
  let tensorsAfterFirstEpoch = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    const order = random.permutation(rows.length);
    for (let start = 0; start < rows.length; start += settings.batchSize) {
      const indices = tf.tensor1d(order.subarray(start, start + settings.batchSize), 'int32');
      const cost = optimizer.minimize(() => meanLoss(tf.gather(data, indices)), true, variables);
      cost?.dispose();
      indices.dispose();
    }
    if (epoch === 0) tensorsAfterFirstEpoch = tf.memory().numTensors;
  }
  const tensorsAfterLastEpoch = tf.memory().numTensors;
  const final = evaluate();
  optimizer.dispose();
  data.dispose();
  encoder.dispose();
  decoder.dispose();
  latent.dispose();
  return { initial, final, tensorsAfterFirstEpoch, tensorsAfterLastEpoch };
}
