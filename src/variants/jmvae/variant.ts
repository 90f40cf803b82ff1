import { z } from 'zod';
import type { VariantContribution } from '../contract.js';
import { elboOptionsShape } from '../shared/elbo-options.js';
import { jmvaeObjective } from './objective.js';

const optionsSchema = z
  .object({
    ...elboOptionsShape,
    /** Weight α on the KL between the joint posterior and each unimodal one. */
    jmvaeAlpha: z.number().nonnegative().default(1),
  })
  .strict();

export const jmvaeVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'jmvae',
  description: 'JMVAE-KL: a joint encoder (the fusion) with unimodal experts pulled towards it',
  optionsSchema,
  usesFusion: true,
  createObjective: ({ options }) => jmvaeObjective(options),
};
