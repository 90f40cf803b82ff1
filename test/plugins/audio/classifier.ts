/**
 * A minimal supervised digit classifier around a ModalityInstance's encoder for the tests:
 * encoder → dense logits, trained with Adam on softmax cross-entropy.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModalityInstance } from '../../../src/modality/contract.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';

export interface ClassifierResult {
  /** Mean cross-entropy over all rows before the first step and after the last epoch. */
  readonly initialLoss: number;
  readonly finalLoss: number;
  /** Accuracy on the training rows after the last epoch. */
  readonly accuracy: number;
  readonly tensorsAfterFirstEpoch: number;
  readonly tensorsAfterLastEpoch: number;
}

export async function trainClassifier(
  instance: ModalityInstance,
  rows: readonly Float32Array[],
  labels: readonly number[],
  settings: {
    classes: number;
    epochs: number;
    batchSize: number;
    learningRate: number;
    seed: number;
  },
): Promise<ClassifierResult> {
  const encoder = instance.buildEncoder();
  const head = tf.layers.dense({
    units: settings.classes,
    kernelInitializer: tf.initializers.glorotUniform({ seed: settings.seed }),
  });
  const shape = instance.featureSpec.shape;
  const data = tf.tensor([...rows.flatMap((r) => Array.from(r))], [rows.length, ...shape]);
  const targets = tf.oneHot(tf.tensor1d([...labels], 'int32'), settings.classes);
  const logits = (x: tf.Tensor, training: boolean) =>
    head.apply(encoder.apply(x, { training })) as tf.Tensor;
  const loss = (x: tf.Tensor, y: tf.Tensor, training: boolean) =>
    tf.losses.softmaxCrossEntropy(y, logits(x, training)) as tf.Scalar;
  const evaluate = () => tf.tidy(() => loss(data, targets, false).dataSync()[0] as number);

  const initialLoss = evaluate();
  const variables = [encoder, head].flatMap((m) =>
    m.trainableWeights.map((w) => w.read() as tf.Variable),
  );
  const optimizer = tf.train.adam(settings.learningRate);
  const random = new SeededRandom(settings.seed);
  let tensorsAfterFirstEpoch = 0;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    const order = random.permutation(rows.length);
    for (let start = 0; start < rows.length; start += settings.batchSize) {
      const indices = tf.tensor1d(order.subarray(start, start + settings.batchSize), 'int32');
      const cost = optimizer.minimize(
        () => loss(tf.gather(data, indices), tf.gather(targets, indices), true),
        true,
        variables,
      );
      cost?.dispose();
      indices.dispose();
    }
    if (epoch === 0) tensorsAfterFirstEpoch = tf.memory().numTensors;
  }
  const tensorsAfterLastEpoch = tf.memory().numTensors;
  const finalLoss = evaluate();
  const accuracy = tf.tidy(() => {
    const predicted = logits(data, false).argMax(1).dataSync();
    return labels.filter((label, i) => predicted[i] === label).length / labels.length;
  });
  optimizer.dispose();
  tf.dispose([data, targets]);
  encoder.dispose();
  head.dispose();
  return { initialLoss, finalLoss, accuracy, tensorsAfterFirstEpoch, tensorsAfterLastEpoch };
}
