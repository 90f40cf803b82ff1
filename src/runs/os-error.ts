/**
 * Turns an OS error from a run-directory operation into a sentence a user can act on, so no raw
 * Node stack trace reaches the CLI.
 */
import { RunError } from '../errors/errors.js';
import { errorCode } from './run-fs.js';

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
