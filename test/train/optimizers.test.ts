/**
 * createOptimizer: Adam becomes the fused-kernel Adam on wasm and stays tf.train.adam elsewhere,
 * and the learning-rate schedule's setter reaches both.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { trainingSchema } from '../../src/config/schema.js';
import { FusedAdamOptimizer } from '../../src/train/fused-adam-optimizer.js';
import { createOptimizer, setLearningRate } from '../../src/train/optimizers.js';
import { useBackend, useWasmBackend } from '../support/backend.js';

const adam = trainingSchema.parse({ optimizer: { name: 'adam', learningRate: 0.01 } }).optimizer;

/** One step on a single weight with gradient 1: Adam's first step moves it by the rate. */
function firstStep(optimizer: tf.Optimizer): number {
  const w = tf.variable(tf.scalar(1));
  optimizer.applyGradients({ [w.name]: tf.scalar(1) });
  const moved = 1 - (w.dataSync()[0] as number);
  w.dispose();
  optimizer.dispose();
  return moved;
}

describe('createOptimizer', () => {
  afterAll(async () => {
    await useWasmBackend();
  });

  it('gives the fused Adam on wasm, whose rate the schedule can change', async () => {
    await useWasmBackend();
    const optimizer = createOptimizer(adam);
    expect(optimizer).toBeInstanceOf(FusedAdamOptimizer);
    setLearningRate(optimizer, 0.5);
    expect(firstStep(optimizer)).toBeCloseTo(0.5, 5);
  });

  it('gives tf.train.adam on the cpu backend', async () => {
    await useBackend('cpu');
    const optimizer = createOptimizer(adam);
    expect(optimizer).toBeInstanceOf(tf.AdamOptimizer);
    expect(firstStep(optimizer)).toBeCloseTo(0.01, 5);
  });
});
