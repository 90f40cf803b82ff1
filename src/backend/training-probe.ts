/**
 * A throwaway model that touches every built-in layer kind mmae models use (convolutions and
 * their transposes, pooling, upsampling, embedding, recurrent cells, normalisation, dropout,
 * the usual activations) and one SGD step on it. `mmae doctor` runs the step through
 * missingKernels to tell whether training can run on the chosen backend.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelProbeStep } from './missing-kernels.js';

export interface TrainingProbe {
  readonly step: KernelProbeStep;
  dispose(): void;
}

function imageBranch(): { input: tf.SymbolicTensor; output: tf.SymbolicTensor } {
  const input = tf.input({ shape: [8, 8, 2] });
  let x = tf.layers
    .conv2d({ filters: 2, kernelSize: 3, padding: 'same', activation: 'relu' })
    .apply(input);
  x = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same' }).apply(x);
  x = tf.layers.separableConv2d({ filters: 2, kernelSize: 3, padding: 'same' }).apply(x);
  x = tf.layers.maxPooling2d({ poolSize: 2 }).apply(x);
  x = tf.layers.averagePooling2d({ poolSize: 2 }).apply(x);
  x = tf.layers
    .conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' })
    .apply(x);
  x = tf.layers.upSampling2d({ size: [2, 2] }).apply(x);
  x = tf.layers.flatten().apply(x);
  return { input, output: x as tf.SymbolicTensor };
}

function sequenceBranch(): { input: tf.SymbolicTensor; output: tf.SymbolicTensor } {
  const input = tf.input({ shape: [5], dtype: 'int32' });
  let x = tf.layers.embedding({ inputDim: 7, outputDim: 3 }).apply(input);
  x = tf.layers.conv1d({ filters: 3, kernelSize: 2, activation: 'elu' }).apply(x);
  x = tf.layers.lstm({ units: 3, returnSequences: true }).apply(x);
  x = tf.layers.gru({ units: 3, returnSequences: true }).apply(x);
  x = tf.layers.simpleRNN({ units: 3 }).apply(x);
  return { input, output: x as tf.SymbolicTensor };
}

function denseHead(features: tf.SymbolicTensor): tf.SymbolicTensor {
  let x = tf.layers.dense({ units: 6, activation: 'tanh' }).apply(features);
  x = tf.layers.layerNormalization().apply(x);
  x = tf.layers.batchNormalization().apply(x);
  x = tf.layers.dropout({ rate: 0.2, seed: 1 }).apply(x);
  for (const activation of ['sigmoid', 'softplus', 'relu'] as const) {
    x = tf.layers.dense({ units: 6, activation }).apply(x);
  }
  x = tf.layers.reshape({ targetShape: [2, 3] }).apply(x);
  x = tf.layers.dense({ units: 3, activation: 'softmax' }).apply(x);
  return x as tf.SymbolicTensor;
}

/** Builds the probe on the active backend; call dispose() when done. */
export function buildTrainingProbe(): TrainingProbe {
  const image = imageBranch();
  const sequence = sequenceBranch();
  const joined = tf.layers.concatenate().apply([image.output, sequence.output]);
  const model = tf.model({
    inputs: [image.input, sequence.input],
    outputs: denseHead(joined as tf.SymbolicTensor),
  });
  const optimizer = tf.train.sgd(0.01);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const step = (): void => {
    const pixels = tf.randomUniform([2, 8, 8, 2], 0, 1, 'float32', 1);
    const tokens = tf.tensor2d([0, 1, 2, 3, 4, 6, 5, 4, 3, 2], [2, 5], 'int32');
    optimizer.minimize(
      () => {
        const out = model.apply([pixels, tokens], { training: true }) as tf.Tensor;
        return tf.losses.meanSquaredError(tf.onesLike(out), out) as tf.Scalar;
      },
      false,
      variables,
    );
  };
  return {
    step,
    dispose: () => {
      optimizer.dispose();
      model.dispose();
    },
  };
}
