/**
 * Makes a new run directory `<baseDir>/<name>-<UTC timestamp>`, e.g.
 * runs/mnist-vae-2026-11-25T17-03-00. UTC keeps names sortable and independent of the machine's
 * time zone; colons are replaced because Windows forbids them in file names. Two runs started in
 * the same second get -2, -3… suffixes: mkdir without `recursive` fails on an existing directory,
 * so the check and the creation are one atomic step.
 */
import { join, resolve } from 'node:path';
import { ConfigError, RunError } from '../errors/errors.js';
import { errorCode, nodeRunFs, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

const RUN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;
const MAX_SAME_SECOND = 1000;

export interface CreateRunDirOptions {
  readonly now?: Date;
  readonly fs?: RunFs;
}

export async function createRunDir(
  baseDir: string,
  name: string,
  options: CreateRunDirOptions = {},
): Promise<string> {
  if (!RUN_NAME.test(name)) {
    throw new ConfigError(
      `The run name '${name}' may only contain letters, digits, '.', '_' and '-', and must start ` +
        'with a letter or digit.',
      'name',
    );
  }
  const fs = options.fs ?? nodeRunFs;
  const base = resolve(baseDir);
  await fs.mkdir(base, { recursive: true }).catch((error: unknown) => {
    throw runOsError('Could not create the runs directory', base, error);
  });
  const stem = `${name}-${runTimestamp(options.now ?? new Date())}`;
  for (let attempt = 1; attempt <= MAX_SAME_SECOND; attempt++) {
    const dir = join(base, attempt === 1 ? stem : `${stem}-${attempt}`);
    try {
      await fs.mkdir(dir);
      return dir;
    } catch (error) {
      if (errorCode(error) !== 'EEXIST') throw runOsError('Could not create the run directory', dir, error);
    }
  }
  throw new RunError(`Could not find a free run directory name for ${join(base, stem)}.`, base);
}

/** 2026-11-25T17:03:00.123Z → 2026-11-25T17-03-00 */
export function runTimestamp(date: Date): string {
  return date.toISOString().slice(0, 19).replace(/:/g, '-');
}
