import { z } from 'zod';
import { LIMITS } from '../../config/limits.js';
import type { VariantContribution } from '../contract.js';
import { codeActivation } from '../shared/code-activation.js';
import { deterministicObjective } from '../standard/objective.js';
import { standardOptionsShape } from '../standard/variant.js';
import { greedyLayerwise } from './phase.js';

const optionsSchema = z
  .object({
    ...standardOptionsShape,
    stacked: z
      .object({
        /** Epochs of each encoder stage's own autoencoder (0 = no pre-training). */
        pretrainEpochs: z.number().int().nonnegative().max(LIMITS.epochs).default(2),
        /** Fine-tune the pre-trained encoders end to end (false: train decoders and fusion only). */
        finetune: z.boolean().default(true),
      })
      .strict()
      .default({ pretrainEpochs: 2, finetune: true }),
  })
  .strict();

/** The standard objective after greedy layer-wise pre-training of every encoder. */
export const stackedVariant: VariantContribution<z.infer<typeof optionsSchema>> = {
  id: 'stacked',
  description: 'Stacked autoencoder: greedy layer-wise pre-training, then the standard objective',
  optionsSchema,
  usesFusion: true,
  createObjective: ({ options }) =>
    deterministicObjective({
      activate: codeActivation(options.codeActivation),
      modalityDropout: options.modalityDropout,
    }),
  trainingPhase: {
    description: 'greedy layer-wise pre-training of each encoder stage',
    run: greedyLayerwise,
  },
};
