import { z } from 'zod';
import type { VariantContribution } from '../contract.js';
import { codeActivation, codeActivationOption } from '../shared/code-activation.js';
import { modalityDropoutOption } from '../shared/modality-dropout.js';
import { deterministicObjective } from './objective.js';

/** The options of the joint autoencoder, which sparse and stacked take too. */
export const standardOptionsShape = { ...codeActivationOption, ...modalityDropoutOption };

const optionsSchema = z.object(standardOptionsShape).strict();

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
