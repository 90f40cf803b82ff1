import { z } from 'zod';
import { LIMITS } from '../../config/limits.js';
import type { VariantContribution } from '../contract.js';
import { elboOptionsShape } from '../shared/elbo-options.js';
import { moeObjective } from './objective.js';

const optionsSchema = z
  .object({
    ...elboOptionsShape,
    /** Importance samples per expert for the stratified objective (1 = the stratified ELBO). */
    importanceSamples: z.number().int().positive().max(LIMITS.importanceSamples).default(1),
  })
  .strict();

export const moeVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'moe',
  description: 'MMVAE: the mixture of the unimodal Gaussian experts; stratified IWAE bound',
  optionsSchema,
  usesFusion: false,
  createObjective: ({ options }) => moeObjective(options),
};
