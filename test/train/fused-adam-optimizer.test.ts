/**
 * FusedAdamOptimizer against tf.train.adam: the same weights after many steps (wasm through the
 * fused kernel, cpu through ops), one kernel per update on wasm, no tensor left behind, and
 * optimizer state that survives a getWeights/setWeights round trip in either direction.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUSED_ADAM_KERNEL } from '../../src/ops/kernels.js';
import { isWasmMemory, simdAdamStep } from '../../src/engine/adam/fused-adam-simd.js';
import { FusedAdamOptimizer } from '../../src/train/fused-adam-optimizer.js';
import { useBackend, useWasmBackend } from '../support/backend.js';

/** A seeded two-layer regression model: sizes not multiples of 4 exercise the SIMD tail. */
class TinyModel {
  readonly vars: tf.Variable[];
  private readonly x = tf.randomNormal([16, 6], 0, 1, 'float32', 11);
  private readonly y = tf.randomNormal([16, 3], 0, 1, 'float32', 12);

  constructor(seed: number) {
    const init = (shape: number[], s: number) =>
      tf.variable(tf.randomNormal(shape, 0, 0.5, 'float32', seed + s));
    this.vars = [init([6, 9], 0), init([9], 1), init([9, 3], 2), init([3], 3)];
  }

  loss(): tf.Scalar {
    const [w1, b1, w2, b2] = this.vars as [tf.Variable, tf.Variable, tf.Variable, tf.Variable];
    const h = tf.relu(tf.add(tf.matMul(this.x, w1), b1));
    return tf.losses.meanSquaredError(this.y, tf.add(tf.matMul(h, w2), b2)) as tf.Scalar;
  }

  /** Runs `steps` updates; returns the loss before the first and after the last. */
  train(optimizer: tf.Optimizer, steps: number): [number, number] {
    const losses: number[] = [];
    for (let i = 0; i < steps; i++) {
      const { value, grads } = tf.variableGrads(() => this.loss(), this.vars);
      if (i === 0) losses.push(value.dataSync()[0] as number);
      optimizer.applyGradients(grads);
      tf.dispose([value, grads]);
    }
    losses.push(tf.tidy(() => this.loss().dataSync()[0] as number));
    return losses as [number, number];
  }

  values(): Float32Array[] {
    return this.vars.map((v) => v.dataSync() as Float32Array);
  }

  dispose(): void {
    tf.dispose([...this.vars, this.x, this.y]);
  }
}

/** Largest |a − b| / max(|a|, 1e-3) over all weights. */
function worstRelativeGap(a: Float32Array[], b: Float32Array[]): number {
  let worst = 0;
  a.forEach((values, i) =>
    values.forEach((v, j) => {
      const other = (b[i] as Float32Array)[j] as number;
      worst = Math.max(worst, Math.abs(v - other) / Math.max(Math.abs(v), 1e-3));
    }),
  );
  return worst;
}

function trainBoth(steps: number, learningRate = 0.01): { gap: number; losses: number[] } {
  const reference = new TinyModel(1);
  const fused = new TinyModel(1);
  const adam = tf.train.adam(learningRate);
  const ours = new FusedAdamOptimizer(learningRate);
  reference.train(adam, steps);
  const losses = fused.train(ours, steps);
  const gap = worstRelativeGap(reference.values(), fused.values());
  adam.dispose();
  ours.dispose();
  reference.dispose();
  fused.dispose();
  return { gap, losses };
}

describe('FusedAdamOptimizer on wasm', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('trains a small model to the weights tf.train.adam reaches, within 1e-5 relative', () => {
    const { gap, losses } = trainBoth(60);
    expect(gap).toBeLessThanOrEqual(1e-5);
    expect(losses[1]).toBeLessThan(0.5 * (losses[0] as number));
  });

  it('updates every variable with one fused kernel and no per-variable Adam ops', async () => {
    const model = new TinyModel(2);
    const optimizer = new FusedAdamOptimizer(0.01);
    model.train(optimizer, 1);
    const { value, grads } = tf.variableGrads(() => model.loss(), model.vars);
    const profile = await tf.profile(() => optimizer.applyGradients(grads));
    tf.dispose([value, grads]);
    const names = profile.kernels.map((k) => k.name);
    expect(names.filter((n) => n === FUSED_ADAM_KERNEL)).toHaveLength(1);
    expect(names).not.toContain('Sqrt');
    optimizer.dispose();
    model.dispose();
  });

  it('runs its element loop as WebAssembly SIMD on the wasm heap in this Node', () => {
    const backend = tf.backend() as unknown as { wasm: { asm: { memory: unknown } } };
    const memory = backend.wasm.asm.memory;
    expect(isWasmMemory(memory)).toBe(true);
    if (isWasmMemory(memory)) expect(simdAdamStep(memory)).toBeTypeOf('function');
  });

  it('updates a variable in its own buffer, but never one another tensor still holds', () => {
    const model = new TinyModel(5);
    const optimizer = new FusedAdamOptimizer(0.01);
    model.train(optimizer, 1); // the first step creates the moments
    const w = model.vars[0]!;
    const buffer = w.dataId;
    model.train(optimizer, 1);
    expect(w.dataId).toBe(buffer); // in place
    const held = w.clone(); // shares the buffer (Identity on wasm)
    const before = held.dataSync().slice();
    model.train(optimizer, 1);
    expect(w.dataId).not.toBe(buffer); // a fresh buffer: the clone must not change
    expect(Array.from(held.dataSync())).toEqual(Array.from(before));
    expect(Array.from(w.dataSync())).not.toEqual(Array.from(before));
    held.dispose();
    optimizer.dispose();
    model.dispose();
  });

  it('keeps kernels that cache packed weights (wasm conv2d) in step with an in-place update', () => {
    // XNNPACK caches a convolution's packed filter by tensor id; an update in place must drop it.
    const x = tf.randomNormal([4, 6, 6, 1], 0, 1, 'float32', 21);
    const trainConv = (optimizer: tf.Optimizer): number[] => {
      const filter = tf.variable(tf.randomNormal([3, 3, 1, 2], 0, 0.5, 'float32', 22));
      for (let i = 0; i < 5; i++) {
        const { value, grads } = tf.variableGrads(
          () =>
            tf.mean(
              tf.square(tf.sub(tf.conv2d(x as tf.Tensor4D, filter as tf.Tensor4D, 1, 'same'), 1)),
            ) as tf.Scalar,
          [filter],
        );
        optimizer.applyGradients(grads);
        tf.dispose([value, grads]);
      }
      const values = Array.from(filter.dataSync());
      filter.dispose();
      optimizer.dispose();
      return values;
    };
    const fused = trainConv(new FusedAdamOptimizer(0.05));
    const reference = trainConv(tf.train.adam(0.05));
    fused.forEach((v, i) => expect(Math.abs(v - reference[i]!)).toBeLessThan(1e-5));
    x.dispose();
  });

  it('keeps the number of tensors flat across steps', () => {
    const model = new TinyModel(3);
    const optimizer = new FusedAdamOptimizer(0.01);
    model.train(optimizer, 2); // the first step creates the moments
    const before = tf.memory().numTensors;
    model.train(optimizer, 10);
    expect(tf.memory().numTensors).toBe(before);
    optimizer.dispose();
    model.dispose();
  });

  it('resumes from saved weights exactly as if never interrupted, and reads tf.train.adam state', async () => {
    const uninterrupted = new TinyModel(4);
    const straight = new FusedAdamOptimizer(0.01);
    uninterrupted.train(straight, 20);

    for (const first of [new FusedAdamOptimizer(0.01), tf.train.adam(0.01)]) {
      const resumed = new TinyModel(4);
      resumed.train(first, 10);
      const saved = (await first.getWeights()).map((w) => ({
        name: w.name,
        tensor: w.tensor.clone(),
      }));
      first.dispose();
      const second = new FusedAdamOptimizer(0.01);
      await second.setWeights(saved);
      tf.dispose(saved.map((w) => w.tensor));
      expect(second.iterations).toBe(10);
      resumed.train(second, 10);
      expect(worstRelativeGap(uninterrupted.values(), resumed.values())).toBeLessThanOrEqual(1e-5);
      second.dispose();
      resumed.dispose();
    }
    straight.dispose();
    uninterrupted.dispose();
  });

  it('minimizes through the tf.Optimizer API (gradients as a list) like tf.train.adam', () => {
    const [reference, fused] = [new TinyModel(6), new TinyModel(6)];
    const [adam, ours] = [tf.train.adam(0.02), new FusedAdamOptimizer(0.02)];
    for (let i = 0; i < 5; i++) {
      adam.minimize(() => reference.loss(), false, reference.vars);
      ours.minimize(() => fused.loss(), false, fused.vars);
    }
    expect(worstRelativeGap(reference.values(), fused.values())).toBeLessThanOrEqual(1e-5);
    adam.dispose();
    ours.dispose();
    reference.dispose();
    fused.dispose();
  });

  it('saves its state in the layout of tf.train.adam: iter, then first and second moments', async () => {
    const model = new TinyModel(5);
    const optimizer = new FusedAdamOptimizer(0.01);
    model.train(optimizer, 3);
    const weights = await optimizer.getWeights();
    expect(weights.map((w) => w.name)).toEqual([
      'iter',
      ...model.vars.map((v) => `${v.name}/m`),
      ...model.vars.map((v) => `${v.name}/v`),
    ]);
    expect(weights[0]?.tensor.dataSync()[0]).toBe(3);
    weights[0]?.tensor.dispose();
    optimizer.dispose();
    model.dispose();
  });
});

describe('FusedAdamOptimizer on a backend without the kernel', () => {
  it('falls back to the maths of tf.train.adam on cpu', async () => {
    await useBackend('cpu');
    try {
      expect(tf.getKernel(FUSED_ADAM_KERNEL, 'cpu')).toBeUndefined();
      const { gap, losses } = trainBoth(30);
      expect(gap).toBeLessThanOrEqual(1e-5);
      expect(losses[1]).toBeLessThan(losses[0] as number);
    } finally {
      await useWasmBackend();
    }
  });
});
