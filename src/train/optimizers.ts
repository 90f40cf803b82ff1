import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config/schema.js';
import { FusedAdamOptimizer } from './fused-adam-optimizer.js';

export function createOptimizer(config: TrainingConfig['optimizer']): tf.Optimizer {
  switch (config.name) {
    case 'sgd':
      return config.momentum > 0
        ? tf.train.momentum(config.learningRate, config.momentum)
        : tf.train.sgd(config.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(config.learningRate, 0.9, config.momentum);
    default:
      // On wasm one fused kernel replaces ~14 per variable, with the same weights to the bit:
      // an epoch of configs/mnist-standard.yaml took 8.3 instead of 10.7 CPU s, of the PoE
      // image-text config ~89 instead of ~92 (BENCHMARKS.md, "W1 speed levers").
      return tf.getBackend() === 'wasm'
        ? new FusedAdamOptimizer(config.learningRate)
        : tf.train.adam(config.learningRate);
  }
}

/**
 * Every tfjs optimizer reads `this.learningRate` on each update, but only SGD exposes a setter;
 * the schedule writes the field directly.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}
