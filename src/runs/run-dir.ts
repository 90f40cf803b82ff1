/**
 * Run directories on disk: how a file name found inside a run is confined to it, how a user's
 * path or run name is found, and how a new run directory is made. The names of a run's files are
 * in run-files.ts.
 */
import { isAbsolute, join, resolve } from 'node:path';
import { ConfigError, RunError } from '../errors/errors.js';
import { RUN_FILES } from './run-files.js';
import { errorCode, nodeRunFs, runOsError, type RunFs } from './run-fs.js';

// ── Names found inside a run ─────────────────────────────────────────────────────────────────
// Resolves a file name found inside a run (a manifest entry, a weights path in model.json) and
// refuses anything that would leave the run directory: an absolute path, `..`, a drive letter or
// a subfolder. A run directory may come from someone else; its contents must not be able to
// point the loader at other files on the machine.

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

// ── Finding a run ────────────────────────────────────────────────────────────────────────────
// Turns what a user typed (a path, or a run's name inside the runs directory) into the run's
// absolute path, or a RunError that says where it looked and which runs exist.

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

// ── Making a run directory ───────────────────────────────────────────────────────────────────
// Makes a new run directory `<baseDir>/<name>-<UTC timestamp>`, e.g.
// runs/mnist-vae-2026-11-25T17-03-00. UTC keeps names sortable and independent of the machine's
// time zone; colons are replaced because Windows forbids them in file names. Two runs started in
// the same second get -2, -3… suffixes: mkdir without `recursive` fails on an existing directory,
// so the check and the creation are one atomic step.

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
