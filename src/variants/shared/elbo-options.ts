/**
 * The options every ELBO-trained variant takes (variational, poe, moe, mopoe, jmvae), and the
 * KL weight they give: β, ramped linearly from 0 over `klAnnealEpochs` while training.
 */
import { z } from 'zod';
import { LIMITS } from '../../config/limits.js';
import type { StepContext } from '../contract.js';

export const elboOptionsShape = {
  /** KL weight β. */
  beta: z.number().nonnegative().default(1),
  /** Epochs over which β ramps linearly from 0 (0 = no annealing). */
  klAnnealEpochs: z.number().int().nonnegative().max(LIMITS.epochs).default(0),
};

export interface ElboOptions {
  readonly beta: number;
  readonly klAnnealEpochs: number;
}

export function klWeight(options: ElboOptions, context: StepContext): number {
  if (options.klAnnealEpochs <= 0 || !context.training) return options.beta;
  return options.beta * Math.min(1, context.epochProgress / options.klAnnealEpochs);
}
