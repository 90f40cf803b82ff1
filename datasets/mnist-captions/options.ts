import { z } from 'zod';
import { boundedList, LIMITS } from 'mmae';
import { mnistOptionsSchema } from '../mnist/options.js';
import { templateProblem } from './captions.js';

export const captionTemplateSchema = z.string().superRefine((template, ctx) => {
  const problem = templateProblem(template);
  if (problem !== undefined) ctx.addIssue({ code: 'custom', message: `'${template}': ${problem}` });
});

export const mnistCaptionsOptionsSchema = mnistOptionsSchema
  .extend({
    /**
     * Samples per image, each with a different template (the image repeats). At most 1000: the
     * dataset is this many times MNIST, and every epoch reads all of it.
     */
    captionsPerImage: z.number().int().min(1).max(LIMITS.repeatsPerSample).default(1),
    /** Caption templates replacing the defaults; see captions.ts for the placeholders. */
    templates: boundedList(captionTemplateSchema, LIMITS.repeatsPerSample, 1).optional(),
  })
  .strict();

export type MnistCaptionsOptions = z.output<typeof mnistCaptionsOptionsSchema>;
