import { z } from 'zod';
import type { VariantContribution } from '../contract.js';
import { standardOptionsShape } from '../standard/variant.js';
import { sparseObjective } from './objective.js';
import { sparsityReport } from './report.js';

const optionsSchema = z
  .object({
    ...standardOptionsShape,
    /**
     * The penalty on the code z (sparse/objective.ts): l1, λ · mean ‖z‖₁; or kl, λ · Σ_j KL(ρ ‖ ρ̂_j)
     * with ρ̂_j the batch-mean activation of unit j (a sigmoid code then).
     */
    sparsity: z
      .discriminatedUnion('penalty', [
        z
          .object({ penalty: z.literal('l1'), lambda: z.number().nonnegative().default(1e-3) })
          .strict(),
        z
          .object({
            penalty: z.literal('kl'),
            /** Target mean activation ρ of each code unit. */
            rho: z.number().gt(0).lt(1).default(0.05),
            /** Weight of the KL sparsity term. */
            lambda: z.number().nonnegative().default(1),
          })
          .strict(),
      ])
      .default({ penalty: 'l1', lambda: 1e-3 }),
  })
  .strict();

/** The standard autoencoder with a sparsity penalty on its code; eval reports the sparsity. */
export const sparseVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'sparse',
  description: 'Sparse autoencoder: the standard one plus an L1 or KL penalty on the code',
  optionsSchema,
  usesFusion: true,
  createObjective: ({ options }) => sparseObjective(options),
  report: { key: 'sparsity', measure: ({ codes }) => sparsityReport(codes) },
};
