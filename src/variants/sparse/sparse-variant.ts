import { z } from 'zod';
import type { VariantContribution } from '../contract.js';
import { codeActivation } from '../shared/code-activation.js';
import { deterministicObjective } from '../shared/deterministic-objective.js';
import { deterministicOptionsShape } from '../shared/deterministic-options.js';
import { sparsityOption, sparsityPenalty } from './sparsity-penalty.js';
import { sparsityReport } from './sparsity-report.js';

const optionsSchema = z.object({ ...deterministicOptionsShape, ...sparsityOption }).strict();

/** The standard autoencoder with a sparsity penalty on its code; eval reports the sparsity. */
export const sparseVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'sparse',
  description: 'Sparse autoencoder: the standard one plus an L1 or KL penalty on the code',
  optionsSchema,
  usesFusion: true,
  createObjective: ({ options }) =>
    deterministicObjective({
      // The KL penalty compares mean activations with ρ in (0, 1): only a sigmoid code has them.
      activate: codeActivation(
        options.sparsity.penalty === 'kl' ? 'sigmoid' : options.codeActivation,
      ),
      modalityDropout: options.modalityDropout,
      penalty: { name: 'sparsity', of: sparsityPenalty(options.sparsity) },
    }),
  report: { key: 'sparsity', measure: ({ codes }) => sparsityReport(codes) },
};
