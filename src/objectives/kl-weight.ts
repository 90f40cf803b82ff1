import type { ModelConfig } from '../config/schema.js';
import type { StepContext } from './contract.js';

/** β, ramped linearly from 0 over `klAnnealEpochs` when annealing is on. */
export function klWeight(config: ModelConfig, context: StepContext): number {
  if (config.klAnnealEpochs <= 0 || !context.training) return config.beta;
  return config.beta * Math.min(1, context.epochProgress / config.klAnnealEpochs);
}
