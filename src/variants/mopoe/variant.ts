import { z } from 'zod';
import type { VariantContribution } from '../contract.js';
import { elboOptionsShape } from '../shared/elbo-options.js';
import { mopoeObjective } from './objective.js';

const optionsSchema = z.object(elboOptionsShape).strict();

export const mopoeVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'mopoe',
  description: 'MoPoE: the mixture, over modality subsets, of their experts’ products',
  optionsSchema,
  usesFusion: false,
  createObjective: ({ options }) => mopoeObjective(options),
};
