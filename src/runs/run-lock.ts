/**
 * run.lock: one writer per run directory. Two processes training into the same directory would
 * interleave metrics.jsonl and leave weights from one run beside the other's final loss, so the
 * writer takes an exclusive lock before it writes anything and holds it until training ends.
 *
 * The lock is a small JSON file holding the holder's pid, host name, start time and a random
 * token. It is written whole to a temp file and then hard-linked to run.lock: link(), like open
 * with O_EXCL, fails atomically if the name exists, and unlike O_EXCL it never shows a half-written
 * lock to another writer (or to a signal handler checking the token). Where a file system has no
 * hard links, O_EXCL is used, and an unreadable lock is given a few seconds to be completed.
 * It is released on a normal end, on an error (the caller's `finally`), on SIGINT and SIGTERM,
 * and on `process.exit`. A process killed with SIGKILL cannot release it; the next writer finds
 * the holder's pid no longer alive on this host and takes the stale lock over, with a note. A lock
 * from another host cannot be checked and is never taken over: the message says how to remove it.
 * Readers (eval, index, serve) never take the lock; they read committed generations only.
 */
import { randomBytes } from 'node:crypto';
import { constants, readFileSync, unlinkSync } from 'node:fs';
import * as fsp from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { LOCK_FILE_FORMAT, RUN_FILES } from './run-files.js';
import { errorCode, runOsError, tempPathFor } from './run-fs.js';

export interface RunLockHolder {
  readonly pid: number;
  readonly hostname: string;
  readonly startedAt: string;
  /** What holds it, e.g. "mmae train"; for the message only. */
  readonly command: string;
  /** Tells this holder's lock from a later one with the same pid. */
  readonly token: string;
}

export interface RunLock {
  readonly path: string;
  readonly holder: RunLockHolder;
  /** Removes the lock if it is still this holder's; safe to call more than once. */
  release(): Promise<void>;
}

export interface AcquireRunLockOptions {
  readonly command?: string;
  /** Where the note about a stale lock taken over goes. */
  readonly log?: (line: string) => void;
  /** Tests replace the liveness check; default: signal 0 to the pid. */
  readonly isAlive?: (pid: number) => boolean;
  readonly now?: () => Date;
}

/** A lock that is not valid JSON is only stale once older than this: it may be being written. */
const UNREADABLE_GRACE_MS = 5_000;
const MAX_ATTEMPTS = 5;

export async function acquireRunLock(
  runDir: string,
  options: AcquireRunLockOptions = {},
): Promise<RunLock> {
  const path = join(runDir, RUN_FILES.lock);
  const holder: RunLockHolder = {
    pid: process.pid,
    hostname: hostname(),
    startedAt: (options.now ?? (() => new Date()))().toISOString(),
    command: options.command ?? 'mmae',
    token: randomBytes(8).toString('hex'),
  };
  const text = `${JSON.stringify({ format: LOCK_FILE_FORMAT, ...holder })}\n`;
  // Armed first: a signal arriving while the lock is being created must still remove it.
  const release = armRelease(path, holder);
  try {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      if (await createExclusive(path, text)) return { path, holder, release: async () => release() };
      const found = await readLock(path);
      if (found.kind === 'missing') continue; // released between our attempt and the read
      const stale = staleReason(found, options.isAlive ?? isAlive);
      if (stale === undefined) throw lockedError(path, found);
      if (await removeIfUnchanged(path, found.bytes)) {
        options.log?.(`took over the stale lock ${path}: ${stale}`);
      }
    }
  } catch (error) {
    release();
    throw error;
  }
  release();
  throw new RunError(
    `Could not take the lock ${path}: other processes kept taking and releasing it. ` +
      'Make sure only one mmae writes this run, then run again.',
    path,
  );
}

/**
 * Another live process's lock on the run, or undefined (none, a stale one, or this process's).
 * saveCheckpoint asks this so that a library caller cannot write under a training process.
 */
export async function otherWriterOf(runDir: string): Promise<RunLockHolder | undefined> {
  const found = await readLock(join(runDir, RUN_FILES.lock));
  if (found.kind !== 'held' || found.holder.pid === process.pid) return undefined;
  return staleReason(found, isAlive) === undefined ? found.holder : undefined;
}

export function describeHolder(holder: RunLockHolder): string {
  return `pid ${holder.pid} on ${holder.hostname} (${holder.command}, started ${holder.startedAt})`;
}

type FoundLock =
  | { readonly kind: 'missing' }
  | { readonly kind: 'held'; readonly holder: RunLockHolder; readonly bytes: Buffer }
  | {
      readonly kind: 'unreadable';
      readonly reason: string;
      readonly bytes: Buffer;
      readonly ageMs: number;
    };

/** True if this call created the lock; false if it exists (or a retry is needed). */
async function createExclusive(path: string, text: string): Promise<boolean> {
  const temp = tempPathFor(path);
  try {
    await writeSynced(temp, text);
    await fsp.link(temp, path);
    return true;
  } catch (error) {
    const code = errorCode(error);
    // EEXIST: held. ENOENT: the holder's save swept our temp file as stale; look again.
    if (code === 'EEXIST' || code === 'ENOENT') return false;
    if (!NO_HARD_LINKS.has(code ?? '')) throw runOsError('Could not create the lock', path, error);
    return createWithExcl(path, text);
  } finally {
    await fsp.unlink(temp).catch(() => undefined);
  }
}

const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'ENOSYS', 'EOPNOTSUPP', 'EXDEV', 'EMLINK']);

async function writeSynced(path: string, text: string): Promise<void> {
  const handle = await fsp.open(path, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, 0o644);
  try {
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function createWithExcl(path: string, text: string): Promise<boolean> {
  try {
    await writeSynced(path, text);
    return true;
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    await fsp.unlink(path).catch(() => undefined);
    throw runOsError('Could not create the lock', path, error);
  }
}

async function readLock(path: string): Promise<FoundLock> {
  let bytes: Buffer;
  let ageMs: number;
  try {
    const stat = await fsp.lstat(path);
    ageMs = Date.now() - stat.mtimeMs;
    if (!stat.isFile()) return { kind: 'unreadable', reason: 'it is not a regular file', bytes: Buffer.alloc(0), ageMs };
    bytes = await fsp.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw runOsError('Could not read the lock', path, error);
  }
  const holder = parseHolder(bytes);
  return holder === undefined
    ? { kind: 'unreadable', reason: 'it is not an mmae lock file', bytes, ageMs }
    : { kind: 'held', holder, bytes };
}

function parseHolder(bytes: Buffer): RunLockHolder | undefined {
  let value: unknown;
  try {
    value = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const v = value as Record<string, unknown>;
  const ok =
    v.format === LOCK_FILE_FORMAT &&
    Number.isSafeInteger(v.pid) &&
    (v.pid as number) > 0 &&
    typeof v.hostname === 'string' &&
    typeof v.startedAt === 'string' &&
    typeof v.token === 'string';
  if (!ok) return undefined;
  return {
    pid: v.pid as number,
    hostname: v.hostname as string,
    startedAt: v.startedAt as string,
    command: typeof v.command === 'string' ? v.command : 'mmae',
    token: v.token as string,
  };
}

/** Why the lock can be taken over, or undefined when its holder may still be running. */
function staleReason(found: FoundLock, alive: (pid: number) => boolean): string | undefined {
  if (found.kind === 'missing') return 'it is gone';
  if (found.kind === 'unreadable') {
    return found.ageMs > UNREADABLE_GRACE_MS ? `${found.reason} (left by a crash?)` : undefined;
  }
  const { holder } = found;
  if (holder.hostname !== hostname()) return undefined;
  return alive(holder.pid) ? undefined : `its holder, ${describeHolder(holder)}, is no longer running`;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the pid exists but belongs to another user; that is a live process.
    return errorCode(error) !== 'ESRCH';
  }
}

/**
 * Removes a stale lock only if it still holds the bytes judged stale: it is first renamed aside
 * (atomic), then checked. If another process took the lock in between, its lock is put back.
 */
async function removeIfUnchanged(path: string, staleBytes: Buffer): Promise<boolean> {
  const aside = tempPathFor(path);
  try {
    await fsp.rename(path, aside);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw runOsError('Could not remove the stale lock', path, error);
  }
  const moved = await fsp.readFile(aside).catch(() => Buffer.alloc(0));
  if (!moved.equals(staleBytes)) await fsp.link(aside, path).catch(() => undefined);
  await fsp.unlink(aside).catch(() => undefined);
  return moved.equals(staleBytes);
}

function lockedError(path: string, found: Exclude<FoundLock, { kind: 'missing' }>): RunError {
  if (found.kind === 'unreadable') {
    return new RunError(
      `${path} exists but ${found.reason}; another mmae may be starting to write this run. ` +
        `Wait a few seconds and run again; if no mmae is running on this run, delete ${path}.`,
      path,
    );
  }
  const { holder } = found;
  const here = holder.hostname === hostname();
  return new RunError(
    `The run is locked by another writer: ${path} is held by ${describeHolder(holder)}. ` +
      'Only one process may write a run at a time: wait for it to finish, stop it, or use ' +
      `another --out.${here ? '' : ` If no mmae is running on ${holder.hostname}, delete ${path}.`}`,
    path,
  );
}

/**
 * Removes the lock if it holds this holder's token, on release, on SIGINT/SIGTERM (then the
 * signal is raised again so the process ends as it would have) and on process exit. Synchronous,
 * because an exit handler cannot wait. Returns the release, which is idempotent.
 */
function armRelease(path: string, holder: RunLockHolder): () => void {
  let armed = true;
  const release = () => {
    if (!armed) return;
    armed = false;
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.off('exit', release);
    try {
      if (parseHolder(readFileSync(path))?.token === holder.token) unlinkSync(path);
    } catch {
      // Already gone, or the directory was removed: nothing is left to release.
    }
  };
  const onSignal = (signal: NodeJS.Signals) => {
    release();
    // With no other handler, end as the signal would have ended the process without ours.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  process.on('exit', release);
  return release;
}
