import { z } from 'zod';
import type { VariantContribution } from '../contract.js';
import { elboOptionsShape } from '../shared/elbo-options.js';
import { poeObjective } from './objective.js';

const optionsSchema = z
  .object({
    ...elboOptionsShape,
    /**
     * What each single-modality ELBO term reconstructs. 'all': every modality the sample
     * carries, so one expert learns to explain the others; 'own': only its own modality, the
     * sub-sampled objective of the MVAE paper (fewer decoder passes).
     */
    unimodalReconstruction: z.enum(['all', 'own']).default('all'),
  })
  .strict();

export const poeVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'poe',
  description: 'MVAE: the product of the unimodal Gaussian experts; sub-sampled ELBO',
  optionsSchema,
  usesFusion: false,
  createObjective: ({ options }) => poeObjective(options),
};
