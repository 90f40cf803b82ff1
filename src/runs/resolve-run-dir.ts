/**
 * Turns what a user typed (a path, or a run's name inside the runs directory) into the run's
 * absolute path, or a RunError that says where it looked and which runs exist.
 */
import { join, resolve } from 'node:path';
import { RunError } from '../errors/errors.js';
import { RUN_FILES } from './run-files.js';
import { errorCode, nodeRunFs, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

export interface ResolveRunDirOptions {
  /** Where run names are looked up; default `runs` under the current directory. */
  readonly runsDir?: string;
  readonly fs?: RunFs;
}

const LISTED = 10;

export async function resolveRunDir(
  pathOrName: string,
  options: ResolveRunDirOptions = {},
): Promise<string> {
  const fs = options.fs ?? nodeRunFs;
  const runsDir = resolve(options.runsDir ?? 'runs');
  const candidates = [...new Set([resolve(pathOrName), join(runsDir, pathOrName)])];
  for (const dir of candidates) {
    if (!(await isDirectory(dir, fs))) continue;
    if (await isRun(dir, fs)) return dir;
    throw new RunError(
      `${dir} is not an mmae run: it has no ${RUN_FILES.manifest}. A run gets one when its first ` +
        'checkpoint is saved; pass a run directory that mmae train created.',
      dir,
    );
  }
  const known = await listRuns(runsDir, fs);
  const listing =
    known.length === 0
      ? `${runsDir} holds no runs.`
      : `Runs in ${runsDir}: ${known.slice(0, LISTED).join(', ')}${known.length > LISTED ? ', …' : ''}.`;
  throw new RunError(
    `No run '${pathOrName}': looked for ${candidates.join(' and ')}. ${listing}`,
    candidates[0],
  );
}

async function isRun(dir: string, fs: RunFs): Promise<boolean> {
  return (
    (await isFile(join(dir, RUN_FILES.manifest), fs)) ||
    (await isFile(join(dir, RUN_FILES.previousDir, RUN_FILES.manifest), fs))
  );
}

/** Newest first: run names end in a sortable timestamp. */
async function listRuns(runsDir: string, fs: RunFs): Promise<string[]> {
  const names = await fs.readdir(runsDir).catch(() => [] as string[]);
  const runs: string[] = [];
  for (const name of names) if (await isRun(join(runsDir, name), fs)) runs.push(name);
  return runs.sort().reverse();
}

async function isDirectory(path: string, fs: RunFs): Promise<boolean> {
  return (await statOf(path, fs))?.isDirectory() ?? false;
}

async function isFile(path: string, fs: RunFs): Promise<boolean> {
  return (await statOf(path, fs))?.isFile() ?? false;
}

/** Follows links: a run directory may be a symbolic link; files inside are checked on load. */
async function statOf(path: string, fs: RunFs) {
  try {
    return await fs.stat(path);
  } catch (error) {
    if (['ENOENT', 'ENOTDIR'].includes(errorCode(error) ?? '')) return undefined;
    throw runOsError('Could not check', path, error);
  }
}
