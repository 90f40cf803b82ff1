/**
 * RUN/index/stores.json: which store outside the run holds which of its galleries, and the
 * checkpoint each was built from. It is a record for people and tools (the database's own
 * registry is what a search checks), and like every file of a run it is data: read bounded,
 * as a regular file, and validated; a URL in it never carries credentials (written redacted,
 * and refused on read if it does).
 */
import { join } from 'node:path';
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { atomicWriteFile, toJsonText } from '../runs/index.js';
import { readBoundedFile } from './read-bounded-file.js';
import { METRICS, type Metric } from './types.js';

export const STORES_FILE = 'stores.json';
const FORMAT = 'mmae-gallery-stores';
const VERSION = 1;
/** A few hundred bytes per gallery: 1 MiB is thousands of them. */
export const MAX_STORES_BYTES = 1024 * 1024;
const MAX_ENTRIES = 1000;

const entrySchema = z.object({
  modality: z.string().min(1).max(256),
  split: z.string().min(1).max(256),
  store: z.literal('postgres'),
  /** scheme://host:port/database: no user, no password. */
  url: z
    .string()
    .max(2048)
    .refine((u) => !/\/\/[^/]*@/.test(u), 'a URL in a run never carries credentials'),
  table: z.string().min(1).max(63),
  metric: z.enum(METRICS as [Metric, ...Metric[]]),
  dims: z
    .number()
    .int()
    .positive()
    .max(1 << 20),
  rows: z.number().int().nonnegative(),
  checkpoint: z.object({
    generation: z.number().int().nonnegative(),
    weightsSha256: z.string().max(128),
  }),
  hnsw: z.object({ m: z.number().int(), efConstruction: z.number().int() }).optional(),
  updatedAt: z.string().max(64),
});

const fileSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(VERSION),
  galleries: z.array(entrySchema).max(MAX_ENTRIES),
});

export type StoredGallery = z.infer<typeof entrySchema>;

/** The galleries recorded in `indexDir`/stores.json; none when the file is absent. */
export async function readGalleryStores(indexDir: string): Promise<StoredGallery[]> {
  const path = join(indexDir, STORES_FILE);
  const bytes = await readBoundedFile(path, {
    what: 'the gallery store record',
    maxBytes: MAX_STORES_BYTES,
  });
  if (bytes === undefined) return [];
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch (cause) {
    throw new RunError(
      `${path}: not valid JSON; the file is damaged. Remove it and index again.`,
      path,
      { cause },
    );
  }
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.join('.') || '(root)';
    throw new RunError(
      `${path}: field '${field}' is invalid (${issue?.message ?? 'invalid'}); the file was edited or ` +
        'not written by mmae. Remove it and index again.',
      path,
    );
  }
  return parsed.data.galleries;
}

/** Records `entry`, replacing the one of the same modality and split. */
export async function recordGalleryStore(indexDir: string, entry: StoredGallery): Promise<void> {
  const checked = entrySchema.parse(entry);
  const kept = (await readGalleryStores(indexDir)).filter(
    (g) => g.modality !== checked.modality || g.split !== checked.split,
  );
  const file = { format: FORMAT, version: VERSION, galleries: [...kept, checked] };
  await atomicWriteFile(join(indexDir, STORES_FILE), toJsonText(file, STORES_FILE));
}
