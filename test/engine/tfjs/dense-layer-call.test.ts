import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { nativeKernelsBuilt, useWasmBackend } from '../../support/backend.js';
import { DENSE_GRAD_KERNEL, DENSE_KERNEL } from '../../../src/ops/kernels.js';
import { largestGap } from '../../support/cpu-reference.js';
import { kernelsOf, trainingKernels } from '../../support/kernels-of.js';

/** A small MLP of tf.layers.dense with every activation the patch takes, and one it does not. */
function buildModel(): tf.Sequential {
  const init = (seed: number) => tf.initializers.glorotUniform({ seed });
  return tf.sequential({
    layers: [
      tf.layers.dense({
        inputShape: [12],
        units: 10,
        activation: 'relu',
        kernelInitializer: init(1),
      }),
      tf.layers.dense({ units: 9, activation: 'elu', kernelInitializer: init(2) }),
      tf.layers.dense({ units: 8, activation: 'tanh', kernelInitializer: init(3) }),
      tf.layers.dense({ units: 7, useBias: false, kernelInitializer: init(4) }),
      tf.layers.dense({ units: 6, activation: 'sigmoid', kernelInitializer: init(5) }),
    ],
  });
}

/** Loss and the gradient of every weight, flattened, for one fixed batch. */
function lossAndGradients(model: tf.Sequential): Float32Array[] {
  return tf.tidy(() => {
    const x = tf.randomNormal([5, 12], 0, 1, 'float32', 11);
    const target = tf.randomUniform([5, 6], 0, 1, 'float32', 12);
    const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads } = tf.variableGrads(
      () => tf.losses.meanSquaredError(target, model.apply(x) as tf.Tensor) as tf.Scalar,
      weights,
    );
    return [value, ...weights.map((w) => grads[w.name]!)].map((t) => t.dataSync() as Float32Array);
  });
}

describe('tf.layers.dense under the dense-op patch', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('gives the loss and weight gradients the cpu backend gives', async () => {
    const model = buildModel();
    const before = tf.memory().numTensors;
    const wasm = lossAndGradients(model);
    expect(tf.memory().numTensors).toBe(before);
    const weights = model.getWeights().map((w) => w.dataSync().slice());
    // The cpu reference: tf.setBackend only flips the active backend; selection applied the engine.
    await tf.setBackend('cpu');
    const cpuModel = buildModel();
    cpuModel.setWeights(
      weights.map((values, i) => tf.tensor(values, model.getWeights()[i]!.shape)),
    );
    const cpu = lossAndGradients(cpuModel);
    await tf.setBackend('wasm');
    wasm.forEach((values, i) => expect(largestGap(values, cpu[i]!)).toBeLessThan(1e-5));
    model.dispose();
    cpuModel.dispose();
  });

  it.skipIf(!nativeKernelsBuilt)(
    'runs dense layers as the op while training, and leaves inference alone',
    async () => {
      const model = buildModel();
      const x = tf.randomNormal([4, 12], 0, 1, 'float32', 13);
      const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
      const names = await trainingKernels(
        () => tf.sum(model.apply(x) as tf.Tensor) as tf.Scalar,
        weights,
      );
      // relu, elu, linear without bias and sigmoid take the op; tanh keeps Dense's own call.
      // Backward, each runs one kernel for its weights and one for its input, except the first,
      // whose input is data: 4 + 3.
      const count = (names: string[], name: string) => names.filter((n) => n === name).length;
      expect(count(names, DENSE_KERNEL)).toBe(4);
      expect(count(names, DENSE_GRAD_KERNEL)).toBe(7);
      const inferenceNames = await kernelsOf(() => model.predict(x) as tf.Tensor);
      expect(count(inferenceNames, DENSE_KERNEL) + count(inferenceNames, DENSE_GRAD_KERNEL)).toBe(
        0,
      );
      x.dispose();
      model.dispose();
    },
  );
});
