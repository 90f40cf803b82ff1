import { z } from 'zod';
import { boundedList, LIMITS } from 'mmae';

/** Fields with a meaning of their own; every other known field is a modality. */
export const RESERVED_FIELDS = ['id', 'label', 'split', 'group'] as const;

/** Modalities read when the options do not list them: file paths for media, strings for text. */
export const DEFAULT_MANIFEST_MODALITIES: Readonly<Record<string, 'file' | 'text'>> = {
  image: 'file',
  audio: 'file',
  text: 'text',
};

export const manifestOptionsSchema = z
  .object({
    /** The manifest file (.csv, .jsonl or .ndjson), relative to the config file. */
    path: z.string().min(1),
    /** Overrides the format implied by the file extension. */
    format: z.enum(['csv', 'jsonl']).optional(),
    /** Modality fields and their kind; default image and audio (file), text (text). */
    modalities: z
      .record(z.string().min(1), z.enum(['file', 'text']))
      .refine((m) => !RESERVED_FIELDS.some((name) => name in m), {
        message: `a modality cannot be named ${RESERVED_FIELDS.join(', ')}`,
      })
      .optional(),
    /** Class names, index = label (at most 100,000); labels may then be names or indices. */
    classes: boundedList(z.string().min(1), 100_000, 1).optional(),
    /**
     * 'column': every row's `split` field (train, validation/val, test) decides; 'ratio': seeded
     * split by validationSize/testSize; 'auto': 'column' when any row has a split field.
     */
    split: z.enum(['auto', 'column', 'ratio']).default('auto'),
    /** Share (< 1) or count (≥ 1) of rows, or of groups when rows have a group, for validation. */
    validationSize: z.number().min(0).max(LIMITS.samples).default(0.1),
    /** Share (< 1) or count (≥ 1) of rows, or of groups when rows have a group, for test. */
    testSize: z.number().min(0).max(LIMITS.samples).default(0.1),
    /** Accept absolute paths and paths leading out of the manifest's folder. */
    allowOutsideRoot: z.boolean().default(false),
    /** Fields that are neither reserved nor modalities: an error (catches typos), or ignored. */
    unknownFields: z.enum(['error', 'ignore']).default('error'),
  })
  .strict();

export type ManifestOptions = z.output<typeof manifestOptionsSchema>;
