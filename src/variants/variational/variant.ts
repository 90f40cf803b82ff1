import { z } from 'zod';
import type { VariantContribution } from '../contract.js';
import { elboOptionsShape } from '../shared/elbo-options.js';
import { modalityDropoutOption } from '../shared/modality-dropout.js';
import { variationalObjective } from './objective.js';

const optionsSchema = z.object({ ...elboOptionsShape, ...modalityDropoutOption }).strict();

/** One Gaussian posterior from the fused embeddings, trained by the β-weighted ELBO. */
export const variationalVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'variational',
  description: 'Variational autoencoder: the fusion gives one Gaussian posterior; β-ELBO',
  optionsSchema,
  usesFusion: true,
  createObjective: ({ options }) => variationalObjective(options),
};
