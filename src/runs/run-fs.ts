/**
 * The file-system calls that run directories make, behind one small facade. Production code uses
 * `nodeRunFs`; tests pass a facade that fails on a chosen call (ENOSPC, EROFS, a "kill" after N
 * calls) to prove that a failed or interrupted save never leaves a run without a loadable
 * checkpoint. Each method is one step that a crash can fall between, so the granularity here is
 * the granularity at which crash safety is tested.
 */
import * as fsp from 'node:fs/promises';
import { constants } from 'node:fs';

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
