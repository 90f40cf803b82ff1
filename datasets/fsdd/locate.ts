/**
 * Finds the FSDD recordings folder. The location is never hard-coded in a config: it comes from
 * the `dir` option, the MMAE_FSDD_DIR environment variable, or the shared checkout beside the
 * project, in that order.
 */
import { readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { DataError } from 'mmae';

export const FSDD_DIR_ENV = 'MMAE_FSDD_DIR';
export const FSDD_DEFAULT_DIR = '../shared/datasets/fsdd';

interface Candidate {
  readonly dir: string;
  readonly from: string;
}

function candidate(optionDir: string | undefined, baseDir: string): Candidate {
  if (optionDir !== undefined) {
    return { dir: resolve(baseDir, optionDir), from: 'the dataset option `dir`' };
  }
  const fromEnv = process.env[FSDD_DIR_ENV];
  if (fromEnv !== undefined && fromEnv !== '') {
    return { dir: resolve(fromEnv), from: `the environment variable ${FSDD_DIR_ENV}` };
  }
  return {
    dir: resolve(FSDD_DEFAULT_DIR),
    from: `the default ${FSDD_DEFAULT_DIR} (relative to the working directory ${process.cwd()})`,
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return stat(path).then(
    (s) => s.isDirectory(),
    () => false,
  );
}

/** The folder of .wav recordings: `<dir>/recordings`, or `<dir>` when it holds .wav files. */
export async function locateFsddRecordings(
  optionDir: string | undefined,
  baseDir: string,
): Promise<string> {
  const { dir, from } = candidate(optionDir, baseDir);
  const help =
    `Point the dataset option \`dir\` or the environment variable ${FSDD_DIR_ENV} at a Free ` +
    'Spoken Digit Dataset checkout (the folder holding recordings/, or recordings/ itself).';
  if (!(await isDirectory(dir))) {
    throw new DataError(`FSDD folder ${dir} (from ${from}) does not exist. ${help}`, dir);
  }
  const nested = join(dir, 'recordings');
  if (await isDirectory(nested)) return nested;
  const entries = await readdir(dir);
  if (entries.some((name) => name.toLowerCase().endsWith('.wav'))) return dir;
  throw new DataError(
    `FSDD folder ${dir} (from ${from}) holds neither a recordings/ folder nor .wav files. ${help}`,
    dir,
  );
}
