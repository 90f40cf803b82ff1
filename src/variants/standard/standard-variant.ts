import { z } from 'zod';
import type { VariantContribution } from '../contract.js';
import { codeActivation } from '../shared/code-activation.js';
import { deterministicObjective } from '../shared/deterministic-objective.js';
import { deterministicOptionsShape } from '../shared/deterministic-options.js';

const optionsSchema = z.object(deterministicOptionsShape).strict();

/** The joint autoencoder: the fusion's code z, every modality reconstructed from it. */
export const standardVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'standard',
  description: 'Joint autoencoder: the fused code z, every modality reconstructed from it',
  optionsSchema,
  usesFusion: true,
  createObjective: ({ options }) =>
    deterministicObjective({
      activate: codeActivation(options.codeActivation),
      modalityDropout: options.modalityDropout,
    }),
};
