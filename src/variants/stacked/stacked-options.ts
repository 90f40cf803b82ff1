import { z } from 'zod';
import { LIMITS } from '../../config/limits.js';
import { deterministicOptionsShape } from '../shared/deterministic-options.js';

export const stackedOptionsSchema = z
  .object({
    ...deterministicOptionsShape,
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

export type StackedOptions = z.infer<typeof stackedOptionsSchema>;
