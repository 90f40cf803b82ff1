import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config/schema.js';

export function createOptimizer(config: TrainingConfig['optimizer']): tf.Optimizer {
  switch (config.name) {
    case 'sgd':
      return config.momentum > 0
        ? tf.train.momentum(config.learningRate, config.momentum)
        : tf.train.sgd(config.learningRate);
    case 'rmsprop':
      return tf.train.rmsprop(config.learningRate, 0.9, config.momentum);
    default:
      return tf.train.adam(config.learningRate);
  }
}

/**
 * Every tfjs optimizer reads `this.learningRate` on each update, but only SGD exposes a setter;
 * the schedule writes the field directly.
 */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  (optimizer as unknown as { learningRate: number }).learningRate = rate;
}
