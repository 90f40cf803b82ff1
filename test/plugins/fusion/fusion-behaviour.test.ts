import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/errors/errors.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { tensorFusion } from '../../../plugins/fusion-tensor/fusion-tensor.js';
import { FUSION_CASES, buildFusion, disposeFusion, randomMatrix, useWasm } from './fusions.js';

const MODALITIES = ['image', 'text', 'audio'];
const INPUT = 6;
const OUTPUT = 5;
const BATCH = 4;

beforeAll(useWasm);

describe.each(FUSION_CASES)('$name fusion', ({ strategy, options }) => {
  it('maps a batch of three modalities to [batch, outputSize]', () => {
    const fusion = buildFusion(strategy, options, MODALITIES, INPUT, OUTPUT);
    const random = new SeededRandom(1);
    const shape = tf.tidy(() => {
      const e = MODALITIES.map(() => randomMatrix(random, BATCH, INPUT));
      const present = MODALITIES.map(() => tf.ones([BATCH]) as tf.Tensor1D);
      return fusion.apply(e, present).shape;
    });
    expect(shape).toEqual([BATCH, OUTPUT]);
    disposeFusion(fusion);
  });

  it('leaves an absent modality out: changing its values changes only rows where it is present', () => {
    const fusion = buildFusion(strategy, options, MODALITIES, INPUT, OUTPUT);
    const random = new SeededRandom(2);
    const [before, after] = tf.tidy(() => {
      const e = MODALITIES.map(() => randomMatrix(random, BATCH, INPUT));
      // Row 0: all present. Row 1: text absent. Row 2: only text present. Row 3: text+audio absent.
      const present = [
        tf.tensor1d([1, 1, 0, 1]),
        tf.tensor1d([1, 0, 1, 0]),
        tf.tensor1d([1, 1, 1, 0]),
      ] as tf.Tensor1D[];
      const changed = [e[0]!, tf.add(tf.mul(e[1]!, -3), 5) as tf.Tensor2D, e[2]!];
      return [fusion.apply(e, present).arraySync(), fusion.apply(changed, present).arraySync()];
    });
    expect(after[1]).toEqual(before[1]);
    expect(after[3]).toEqual(before[3]);
    // The rows that carry text do move, so the check above is not vacuous.
    expect(maxAbsDiff(after[0]!, before[0]!)).toBeGreaterThan(1e-4);
    expect(maxAbsDiff(after[2]!, before[2]!)).toBeGreaterThan(1e-4);
    disposeFusion(fusion);
  });

  it('sends a non-zero gradient to every weight of every layer when all modalities are present', () => {
    const fusion = buildFusion(strategy, options, MODALITIES, INPUT, OUTPUT);
    const random = new SeededRandom(3);
    const e = MODALITIES.map(() => randomMatrix(random, BATCH, INPUT));
    const present = MODALITIES.map(() => tf.ones([BATCH]) as tf.Tensor1D);
    const variables = fusion.layers.flatMap((l) =>
      l.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    expect(variables.length).toBeGreaterThanOrEqual(fusion.layers.length);
    const target = randomMatrix(random, BATCH, OUTPUT);
    const { value, grads } = tf.variableGrads(
      () => tf.mean(tf.square(tf.sub(fusion.apply(e, present), target))) as tf.Scalar,
      variables,
    );
    const norms = variables.map((v) => tf.tidy(() => tf.norm(grads[v.name]!).dataSync()[0]!));
    for (const norm of norms) expect(norm).toBeGreaterThan(0);
    tf.dispose([value, ...Object.values(grads), ...e, ...present, target]);
    disposeFusion(fusion);
  });

  it('learns a two-modality interaction target with Adam, and tensor count stays flat', () => {
    const fusion = buildFusion(strategy, options, ['a', 'b'], INPUT, 2);
    const random = new SeededRandom(4);
    const n = 64;
    const a = randomMatrix(random, n, INPUT);
    const b = randomMatrix(random, n, INPUT);
    // A target needing both modalities and their interaction.
    const target = tf.tidy(() => {
      const col = (x: tf.Tensor2D, j: number) => tf.slice(x, [0, j], [-1, 1]);
      const t0 = tf.add(tf.mul(col(a, 0), col(b, 0)), col(a, 1));
      const t1 = tf.sub(tf.tanh(col(b, 2)), tf.mul(col(a, 3), 0.5));
      return tf.concat([t0, t1], 1);
    });
    const present = [tf.ones([n]), tf.ones([n])] as tf.Tensor1D[];
    const optimizer = tf.train.adam(0.01);
    const variables = fusion.layers.flatMap((l) =>
      l.trainableWeights.map((w) => w.read() as tf.Variable),
    );
    const step = () =>
      optimizer.minimize(
        () => tf.mean(tf.square(tf.sub(fusion.apply([a, b], present), target))) as tf.Scalar,
        true,
        variables,
      )!;
    const losses: number[] = [];
    let tensorsAfterFirst = 0;
    for (let i = 0; i < 100; i++) {
      const loss = step();
      losses.push(loss.dataSync()[0]!);
      loss.dispose();
      if (i === 0) tensorsAfterFirst = tf.memory().numTensors;
    }
    expect(tf.memory().numTensors).toBe(tensorsAfterFirst);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[99]!).toBeLessThan(losses[0]! * 0.5);
    optimizer.dispose();
    tf.dispose([a, b, target, ...present]);
    disposeFusion(fusion);
  });

  it('keeps the tensor count flat across repeated applies with mixed presence', () => {
    const fusion = buildFusion(strategy, options, MODALITIES, INPUT, OUTPUT);
    const random = new SeededRandom(5);
    const e = MODALITIES.map(() => randomMatrix(random, BATCH, INPUT));
    const present = [
      tf.tensor1d([1, 0, 1, 1]),
      tf.tensor1d([0, 1, 1, 0]),
      tf.tensor1d([1, 1, 0, 0]),
    ] as tf.Tensor1D[];
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.tidy(() => {
        fusion.apply(e, present);
      });
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...e, ...present]);
    disposeFusion(fusion);
  });
});

describe('tensor fusion options', () => {
  it('rejects a projectTo whose outer product would be too wide, naming the field', () => {
    const options = tensorFusion.optionsSchema.parse({ projectTo: 200 });
    const create = () =>
      tensorFusion.create({ modalities: MODALITIES, inputSize: 4, outputSize: 2, options });
    expect(create).toThrow(ConfigError);
    expect(create).toThrow(/fusion\.options\.projectTo/);
  });
});

function maxAbsDiff(x: readonly number[], y: readonly number[]): number {
  return Math.max(...x.map((v, i) => Math.abs(v - y[i]!)));
}
