/**
 * Resolves a file name found inside a run (a manifest entry, a weights path in model.json) and
 * refuses anything that would leave the run directory: an absolute path, `..`, a drive letter or
 * a subfolder. A run directory may come from someone else; its contents must not be able to
 * point the loader at other files on the machine.
 */
import { isAbsolute, join } from 'node:path';
import { RunError } from '../errors/errors.js';

const SAFE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

/** `where` says where the entry was found, e.g. "manifest.json files". */
export function resolveInsideRun(runDir: string, entry: unknown, where: string): string {
  if (typeof entry !== 'string' || !SAFE_NAME.test(entry) || entry.includes('..')) {
    const shown = typeof entry === 'string' ? `'${entry}'` : String(entry);
    const why =
      typeof entry === 'string' && (isAbsolute(entry) || entry.includes('..'))
        ? 'points outside the run directory'
        : 'is not a plain file name';
    throw new RunError(
      `Refusing to load ${runDir}: ${where} names the file ${shown}, which ${why}. A run only ` +
        'refers to files directly inside its own directory; the run was damaged or crafted.',
      runDir,
    );
  }
  return join(runDir, entry);
}
