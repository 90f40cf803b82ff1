/**
 * Every built-in layer kind trains on wasm exactly as on cpu: a tiny model per layer, the same
 * seeded weights and data on both backends, one SGD step on a custom loss. The wasm run goes
 * through the fallback kernels (conv filter gradients, embedding gradients) where wasm lacks them.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../support/backend.js';
import { SeededRandom } from '../../src/random/seeded-random.js';

interface LayerCase {
  readonly name: string;
  /** Input shape without the batch dimension. */
  readonly inputShape: number[];
  readonly inputDtype?: 'float32' | 'int32';
  readonly layers: () => tf.layers.Layer[];
}

const BATCH = 3;
const LEARNING_RATE = 0.05;

const dense = (
  units: number,
  activation?: 'relu' | 'sigmoid' | 'tanh' | 'elu' | 'softplus' | 'softmax',
) => tf.layers.dense({ units, activation });
const flatten = () => tf.layers.flatten();

const CASES: LayerCase[] = [
  { name: 'dense', inputShape: [5], layers: () => [dense(4)] },
  ...(['relu', 'sigmoid', 'tanh', 'elu', 'softplus', 'softmax'] as const).map((activation) => ({
    name: `dense with ${activation} activation`,
    inputShape: [5],
    layers: () => [dense(4, activation), dense(2)],
  })),
  {
    name: 'conv1d (same padding)',
    inputShape: [6, 2],
    layers: () => [
      tf.layers.conv1d({ filters: 3, kernelSize: 3, padding: 'same' }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'conv1d (valid padding, stride 2)',
    inputShape: [7, 2],
    layers: () => [
      tf.layers.conv1d({ filters: 3, kernelSize: 3, strides: 2 }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'conv2d (valid padding)',
    inputShape: [5, 5, 2],
    layers: () => [tf.layers.conv2d({ filters: 3, kernelSize: 3 }), flatten(), dense(2)],
  },
  {
    name: 'conv2d (same padding, stride 2)',
    inputShape: [6, 6, 2],
    layers: () => [
      tf.layers.conv2d({
        filters: 3,
        kernelSize: 3,
        strides: 2,
        padding: 'same',
        activation: 'relu',
      }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'conv2dTranspose (same padding, stride 2)',
    inputShape: [3, 3, 2],
    layers: () => [
      tf.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'conv2dTranspose (valid padding)',
    inputShape: [3, 3, 2],
    layers: () => [tf.layers.conv2dTranspose({ filters: 2, kernelSize: 2 }), flatten(), dense(2)],
  },
  {
    name: 'depthwiseConv2d',
    inputShape: [5, 5, 2],
    layers: () => [
      tf.layers.depthwiseConv2d({ kernelSize: 3, depthMultiplier: 2, padding: 'same' }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'separableConv2d',
    inputShape: [5, 5, 2],
    layers: () => [
      tf.layers.separableConv2d({ filters: 3, kernelSize: 3, strides: 2 }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'upSampling2d',
    inputShape: [3, 3, 2],
    layers: () => [
      tf.layers.conv2d({ filters: 2, kernelSize: 1 }),
      tf.layers.upSampling2d({ size: [2, 2] }),
      tf.layers.conv2d({ filters: 1, kernelSize: 3 }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'maxPooling2d',
    inputShape: [6, 6, 2],
    layers: () => [
      tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'averagePooling2d',
    inputShape: [6, 6, 2],
    layers: () => [
      tf.layers.conv2d({ filters: 2, kernelSize: 3, padding: 'same' }),
      tf.layers.averagePooling2d({ poolSize: 2 }),
      flatten(),
      dense(2),
    ],
  },
  {
    name: 'embedding',
    inputShape: [5],
    inputDtype: 'int32',
    layers: () => [tf.layers.embedding({ inputDim: 6, outputDim: 3 }), flatten(), dense(2)],
  },
  {
    name: 'simpleRNN',
    inputShape: [4, 3],
    layers: () => [tf.layers.simpleRNN({ units: 3 }), dense(2)],
  },
  {
    name: 'gru',
    inputShape: [4, 3],
    layers: () => [tf.layers.gru({ units: 3, returnSequences: true }), flatten(), dense(2)],
  },
  {
    name: 'lstm',
    inputShape: [4, 3],
    layers: () => [tf.layers.lstm({ units: 3 }), dense(2)],
  },
  {
    name: 'layerNormalization',
    inputShape: [5],
    layers: () => [dense(4), tf.layers.layerNormalization(), dense(3)],
  },
  {
    name: 'batchNormalization',
    inputShape: [5],
    layers: () => [dense(4), tf.layers.batchNormalization(), dense(3)],
  },
  {
    name: 'dropout',
    inputShape: [5],
    layers: () => [dense(6), tf.layers.dropout({ rate: 0.5, seed: 7 }), dense(3)],
  },
  {
    name: 'flatten and reshape',
    inputShape: [2, 3],
    layers: () => [
      flatten(),
      dense(4),
      tf.layers.reshape({ targetShape: [2, 2] }),
      flatten(),
      dense(2),
    ],
  },
];

interface StepResult {
  readonly lossBefore: number;
  readonly lossAfter: number;
  readonly weightsAfter: Float32Array[];
}

function seededValues(count: number, seed: number, scale: number): Float32Array {
  const random = new SeededRandom(seed);
  return Float32Array.from({ length: count }, () => random.normal() * scale);
}

function seededWeights(model: tf.LayersModel): tf.Tensor[] {
  return model.weights.map((weight, i) => {
    const size = weight.shape.reduce((a, b) => (a ?? 1) * (b ?? 1), 1) ?? 1;
    // Scaled like Glorot initialisation, so one SGD step stays in the region where loss falls.
    const fanIn = weight.shape.slice(0, -1).reduce((a, b) => (a ?? 1) * (b ?? 1), 1) ?? 1;
    const scale = weight.shape.length >= 2 ? 1 / Math.sqrt(fanIn) : 0.1;
    let values = seededValues(size, 1000 + i, scale);
    // A moving variance must stay positive for batch normalisation to be defined.
    if (weight.name.includes('moving_variance')) values = values.map((v) => 0.5 + Math.abs(v));
    return tf.tensor(values, weight.shape as number[]);
  });
}

function seededInput(layerCase: LayerCase): tf.Tensor {
  const shape = [BATCH, ...layerCase.inputShape];
  const size = shape.reduce((a, b) => a * b, 1);
  if (layerCase.inputDtype === 'int32') {
    const random = new SeededRandom(7);
    // Repeated ids make the embedding gradient sum several rows into one.
    return tf.tensor(
      Int32Array.from({ length: size }, () => random.int(6)),
      shape,
      'int32',
    );
  }
  return tf.tensor(seededValues(size, 7, 1), shape);
}

function buildModel(layerCase: LayerCase): tf.LayersModel {
  const input = tf.input({ shape: layerCase.inputShape, dtype: layerCase.inputDtype ?? 'float32' });
  let x: tf.SymbolicTensor = input;
  for (const layer of layerCase.layers()) x = layer.apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: x });
}

async function trainOneStep(layerCase: LayerCase, backend: 'cpu' | 'wasm'): Promise<StepResult> {
  // tf.setBackend only flips the active backend within a comparison: useWasmBackend (beforeAll)
  // has applied the engine to both, cpu's patches included (src/engine/apply-engine.ts).
  await tf.setBackend(backend);
  const model = buildModel(layerCase);
  const initial = seededWeights(model);
  model.setWeights(initial);
  tf.dispose(initial);
  const input = seededInput(layerCase);
  const outputShape = [BATCH, ...(model.outputs[0]?.shape.slice(1) as number[])];
  const target = tf.tensor(
    seededValues(
      outputShape.reduce((a, b) => a * b, 1),
      11,
      1,
    ),
    outputShape,
  );
  const loss = (): tf.Scalar =>
    tf.tidy(() => {
      const output = model.apply(input, { training: true }) as tf.Tensor;
      return tf.mean(tf.square(tf.sub(output, target))) as tf.Scalar;
    });
  const optimizer = tf.train.sgd(LEARNING_RATE);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const before = optimizer.minimize(loss, true, variables) as tf.Scalar;
  const after = loss();
  const result: StepResult = {
    lossBefore: before.dataSync()[0] as number,
    lossAfter: after.dataSync()[0] as number,
    weightsAfter: model.weights.map((w) => Float32Array.from(w.read().dataSync())),
  };
  tf.dispose([before, after, input, target]);
  optimizer.dispose();
  model.dispose();
  return result;
}

function expectClose(actual: number, expected: number, what: string): void {
  const tolerance = 1e-4 * Math.max(1, Math.abs(expected));
  expect(
    Math.abs(actual - expected),
    `${what}: wasm ${actual} vs cpu ${expected}`,
  ).toBeLessThanOrEqual(tolerance);
}

describe('training every built-in layer kind on wasm', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it.each(CASES)(
    'a model with a $name layer gets the same loss and weights on wasm as on cpu',
    async (layerCase) => {
      const cpu = await trainOneStep(layerCase, 'cpu');
      const wasm = await trainOneStep(layerCase, 'wasm');

      expect(cpu.lossAfter).toBeLessThan(cpu.lossBefore);
      expectClose(wasm.lossBefore, cpu.lossBefore, 'loss before the step');
      expectClose(wasm.lossAfter, cpu.lossAfter, 'loss after the step');
      cpu.weightsAfter.forEach((weights, i) => {
        const other = wasm.weightsAfter[i] as Float32Array;
        expect(other.length).toBe(weights.length);
        weights.forEach((value, j) => expectClose(other[j] as number, value, `weight ${i}[${j}]`));
      });
    },
  );

  it('leaves no tensors behind after a training step on wasm', async () => {
    await tf.setBackend('wasm');
    const before = tf.memory().numTensors;
    for (const layerCase of CASES.slice(0, 3)) await trainOneStep(layerCase, 'wasm');
    await tf.setBackend('wasm');
    expect(tf.memory().numTensors).toBe(before);
  });
});
