import type { TrainingConfig } from '../config/schema.js';

/** The learning rate for a (0-based) epoch; a pure function of the config, so resume agrees. */
export function learningRateAt(training: TrainingConfig, epoch: number): number {
  const base = training.optimizer.learningRate;
  const s = training.schedule;
  switch (s.kind) {
    case 'step':
      return base * s.gamma ** Math.floor(epoch / s.stepEpochs);
    case 'exponential':
      return base * s.gamma ** epoch;
    case 'cosine': {
      const t = Math.min(1, epoch / Math.max(1, training.epochs - 1));
      const floor = base * s.minShare;
      return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
    default:
      return base;
  }
}
