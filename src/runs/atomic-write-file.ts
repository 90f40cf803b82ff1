/**
 * Replaces a file so that a reader (or a process restarted after a crash) sees either the old
 * bytes or the new ones, never a mix: write a temp file in the same directory, fsync it, rename
 * it over the target (atomic on POSIX), then fsync the directory so the rename itself survives
 * a power cut. On failure the temp file is removed and the previous file is left as it was.
 */
import { randomBytes } from 'node:crypto';
import { basename, dirname, join } from 'node:path';
import { nodeRunFs, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

/** Temp names start with a dot and carry this marker, so stale ones can be recognised. */
export const TEMP_MARKER = '.tmp-';

export function tempPathFor(path: string): string {
  const suffix = `${process.pid}-${randomBytes(4).toString('hex')}`;
  return join(dirname(path), `.${basename(path)}${TEMP_MARKER}${suffix}`);
}

export function isTempFileName(name: string): boolean {
  return name.startsWith('.') && name.includes(TEMP_MARKER);
}

export async function atomicWriteFile(
  path: string,
  data: Uint8Array | string,
  fs: RunFs = nodeRunFs,
): Promise<void> {
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  const temp = tempPathFor(path);
  try {
    await fs.writeNewFile(temp, bytes);
    await fs.rename(temp, path);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    throw runOsError('Could not write', path, error, 'The previous version of the file is unchanged.');
  }
  try {
    await fs.syncDir(dirname(path));
  } catch (error) {
    throw runOsError('Wrote but could not sync the directory of', path, error);
  }
}
