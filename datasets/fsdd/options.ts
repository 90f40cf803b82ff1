import { z } from 'zod';
import { boundedList, LIMITS } from 'mmae';

export const fsddOptionsSchema = z
  .object({
    /**
     * The FSDD folder (holding `recordings/`) or the recordings folder itself, relative to the
     * config file. Default: env MMAE_FSDD_DIR, else ../shared/datasets/fsdd from the cwd.
     */
    dir: z.string().min(1).optional(),
    /** Speakers held out for test. Default: the last speaker in alphabetical order. */
    testSpeakers: boundedList(z.string().min(1), LIMITS.listEntries).optional(),
    /** Speakers held out for validation. Default: the last remaining speaker alphabetically. */
    validationSpeakers: boundedList(z.string().min(1), LIMITS.listEntries).optional(),
  })
  .strict();

export type FsddOptions = z.output<typeof fsddOptionsSchema>;
