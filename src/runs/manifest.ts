/**
 * manifest.json: the commit record of a checkpoint. It is written last, and lists every other
 * file of the checkpoint with its SHA-256, so a checkpoint is exactly "what the manifest says".
 */
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { MANIFEST_FORMAT, RUN_FORMAT_VERSION } from './run-files.js';
import { parseWithSchema } from './schema-error.js';

const fileEntrySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  bytes: z.number().int().nonnegative(),
});

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  formatVersion: z.number().int(),
  mmaeVersion: z.string(),
  tfjsVersion: z.string(),
  nodeVersion: z.string(),
  backend: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Counts saves in this run: 1 for the first checkpoint. */
  generation: z.number().int().positive(),
  files: z.record(z.string(), fileEntrySchema),
});

export type ManifestFileEntry = z.infer<typeof fileEntrySchema>;
export type RunManifest = z.infer<typeof manifestSchema>;

export function parseManifest(value: unknown, path: string): RunManifest {
  checkFormatVersion(value, path);
  return parseWithSchema(manifestSchema, value, path, 'The run manifest');
}

/** Checked before the full schema so that a newer layout gets a version message, not a field error. */
function checkFormatVersion(value: unknown, path: string): void {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (record.format !== MANIFEST_FORMAT) {
    throw new RunError(
      `${path} is not an mmae run manifest (its "format" is ${JSON.stringify(record.format)}, ` +
        `expected "${MANIFEST_FORMAT}"). Pass the directory that mmae created for the run.`,
      path,
    );
  }
  const version = record.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new RunError(`${path} has no valid "formatVersion"; the manifest is damaged.`, path);
  }
  if (version !== RUN_FORMAT_VERSION) {
    const writer = typeof record.mmaeVersion === 'string' ? `mmae ${record.mmaeVersion}` : 'another mmae';
    const advice =
      version > RUN_FORMAT_VERSION
        ? 'Upgrade mmae to load it.'
        : 'Load it with the mmae version that wrote it, or train the run again.';
    throw new RunError(
      `The run at ${path} uses run format version ${version} (written by ${writer}); this mmae ` +
        `reads version ${RUN_FORMAT_VERSION}. ${advice}`,
      path,
    );
  }
}
