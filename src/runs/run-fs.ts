/**
 * The file operations of a run directory: a small file-system facade (so tests can fail or "kill"
 * any single step), OS errors as sentences, atomic replacement of a file, SHA-256 of what was
 * written, and reading a JSON file. Everything that writes into a run goes through here, so crash
 * safety is argued once; everything a run holds that needs no file system (its formats, JSON,
 * tensors) stays out of here, so it also runs in a browser.
 */
import { createHash, randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { parseJsonBytes } from './run-json.js';

// ── File-system facade ───────────────────────────────────────────────────────────────────────
// The file-system calls that run directories make, behind one small facade. Production code uses
// `nodeRunFs`; tests pass a facade that fails on a chosen call (ENOSPC, EROFS, a "kill" after N
// calls) to prove that a failed or interrupted save never leaves a run without a loadable
// checkpoint. Each method is one step that a crash can fall between, so the granularity here is
// the granularity at which crash safety is tested.

export interface RunFileStat {
  readonly size: number;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
}

export interface RunFs {
  /** Creates `path` (which must not exist), writes all of `data`, fsyncs and closes it. */
  writeNewFile(path: string, data: Uint8Array): Promise<void>;
  /** Appends `data` to `path` (creating it) and fsyncs before returning. */
  appendFileSynced(path: string, data: Uint8Array): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
  /** A hard link: both names then share one file, which saves copying weights. */
  link(existingPath: string, newPath: string): Promise<void>;
  mkdir(path: string, options?: { recursive?: boolean }): Promise<void>;
  /** Makes a directory's entries (renames, creations, removals) durable. */
  syncDir(path: string): Promise<void>;
  readFile(path: string): Promise<Uint8Array>;
  /** Does not follow symbolic links, so a link planted in a run directory can be refused. */
  lstat(path: string): Promise<RunFileStat>;
  /** Follows symbolic links: used for directories, since a runs folder may be a link to a disk. */
  stat(path: string): Promise<RunFileStat>;
  readdir(path: string): Promise<string[]>;
}

/** Codes with which platforms refuse fsync on a directory; there is nothing more to make durable. */
const DIR_SYNC_UNSUPPORTED = new Set(['EINVAL', 'ENOTSUP', 'EISDIR', 'EPERM', 'EBADF']);

export const nodeRunFs: RunFs = {
  async writeNewFile(path, data) {
    const handle = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL);
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  async appendFileSynced(path, data) {
    const handle = await fsp.open(path, 'a');
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
  },
  rename: (from, to) => fsp.rename(from, to),
  unlink: (path) => fsp.unlink(path),
  link: (existingPath, newPath) => fsp.link(existingPath, newPath),
  async mkdir(path, options) {
    await fsp.mkdir(path, { recursive: options?.recursive ?? false });
  },
  async syncDir(path) {
    let handle: fsp.FileHandle | undefined;
    try {
      handle = await fsp.open(path, constants.O_RDONLY);
      await handle.sync();
    } catch (error) {
      if (!DIR_SYNC_UNSUPPORTED.has(errorCode(error) ?? '')) throw error;
    } finally {
      await handle?.close();
    }
  },
  readFile: (path) => fsp.readFile(path),
  lstat: (path) => fsp.lstat(path),
  stat: (path) => fsp.stat(path),
  readdir: (path) => fsp.readdir(path),
};

/** The `code` of a Node system error (ENOENT, ENOSPC, …), or undefined for anything else. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

// ── OS errors ────────────────────────────────────────────────────────────────────────────────
// Turns an OS error from a run-directory operation into a sentence a user can act on, so no raw
// Node stack trace reaches the CLI.

const ADVICE: Readonly<Record<string, string>> = {
  ENOSPC: 'the disk is full; free some space and run again',
  EDQUOT: 'the disk quota is exhausted; free some space and run again',
  EACCES: 'permission denied; make the directory writable or choose another runs directory',
  EPERM: 'operation not permitted; make the directory writable or choose another runs directory',
  EROFS: 'the file system is read-only; choose a runs directory on a writable disk',
  ENOENT: 'a file or directory on the path does not exist',
  ENOTDIR: 'a part of the path is a file, not a directory',
  EMFILE: 'too many open files; close other programs or raise the open-file limit',
  EIO: 'the disk reported an I/O error; check the disk',
};

export function describeOsError(error: unknown): string {
  const code = errorCode(error);
  const detail = error instanceof Error ? error.message : String(error);
  const advice = code === undefined ? undefined : ADVICE[code];
  return advice === undefined ? detail : `${code}: ${advice} (${detail})`;
}

/** A RunError for a failed operation on `path`; `doing` reads like "could not write". */
export function runOsError(doing: string, path: string, error: unknown, after = ''): RunError {
  if (error instanceof RunError) return error;
  const tail = after === '' ? '' : ` ${after}`;
  return new RunError(`${doing} ${path}: ${describeOsError(error)}.${tail}`, path, {
    cause: error,
  });
}

// ── Atomic writes ────────────────────────────────────────────────────────────────────────────
// Replaces a file so that a reader (or a process restarted after a crash) sees either the old
// bytes or the new ones, never a mix: write a temp file in the same directory, fsync it, rename
// it over the target (atomic on POSIX), then fsync the directory so the rename itself survives
// a power cut. On failure the temp file is removed and the previous file is left as it was.

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

// ── SHA-256 ──────────────────────────────────────────────────────────────────────────────────
// SHA-256 of bytes and files, as lowercase hex: how a run proves its files are the ones it wrote.

export function sha256Bytes(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

export async function sha256File(path: string, fs: RunFs = nodeRunFs): Promise<string> {
  let data: Uint8Array;
  try {
    data = await fs.readFile(path);
  } catch (error) {
    throw runOsError('Could not read', path, error);
  }
  return sha256Bytes(data);
}

// ── Reading JSON files ───────────────────────────────────────────────────────────────────────
// Reads and parses a JSON file with errors that name the file and what it was meant to be. JSON
// only: nothing in a run directory is ever imported, required or evaluated.

/** `what` names the file's role for the message, e.g. "the run manifest". */
export async function readJsonFile(
  path: string,
  what: string,
  fs: RunFs = nodeRunFs,
): Promise<unknown> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new RunError(`${what} is missing: ${path} does not exist.`, path, { cause: error });
    }
    throw runOsError(`Could not read ${what} at`, path, error);
  }
  return parseJsonBytes(bytes, path, what);
}
