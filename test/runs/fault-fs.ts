/**
 * A RunFs that fails on purpose, for crash and full-disk tests. It passes calls through to the
 * real file system until `fault` names an error for a call; with `dies`, that call and every
 * later one fail (a killed process does nothing more), and a failing writeNewFile first writes
 * half its bytes (a torn write).
 */
import * as fsp from 'node:fs/promises';
import { nodeRunFs, type RunFs } from '../../src/runs/run-fs.js';

export interface FsCall {
  readonly index: number;
  readonly op: keyof RunFs;
  readonly path: string;
}

export interface FaultFsOptions {
  /** Returns an errno code (ENOSPC, EROFS, …) to fail this call with, or undefined to let it run. */
  readonly fault: (call: FsCall) => string | undefined;
  readonly dies?: boolean;
  /** The file system that calls pass through to; default the real, fsyncing one. */
  readonly base?: RunFs;
}

export interface FaultFs extends RunFs {
  readonly calls: FsCall[];
  readonly faulted: boolean;
}

export function errnoError(code: string, path: string): NodeJS.ErrnoException {
  const error: NodeJS.ErrnoException = new Error(`${code}: simulated failure, '${path}'`);
  error.code = code;
  error.path = path;
  return error;
}

/**
 * The real file system without fsync. Crash tests kill the process model, not the machine, so
 * durability is not what they test, and skipping fsync makes hundreds of saves fast.
 */
export const unsyncedFs: RunFs = {
  ...nodeRunFs,
  writeNewFile: (path, data) => fsp.writeFile(path, data, { flag: 'wx' }),
  appendFileSynced: (path, data) => fsp.appendFile(path, data),
  syncDir: async () => undefined,
};

export function faultFs(options: FaultFsOptions): FaultFs {
  const base = options.base ?? nodeRunFs;
  const calls: FsCall[] = [];
  let dead = false;
  let faulted = false;

  async function run<T>(op: keyof RunFs, path: string, real: () => Promise<T>, torn?: () => Promise<void>): Promise<T> {
    const call = { index: calls.length, op, path };
    calls.push(call);
    const code = dead ? 'EKILLED' : options.fault(call);
    if (code === undefined) return real();
    if (!dead) {
      faulted = true;
      if (options.dies === true) {
        dead = true;
        await torn?.();
      }
    }
    throw errnoError(code, path);
  }

  return {
    calls,
    get faulted() {
      return faulted;
    },
    writeNewFile: (path, data) =>
      run('writeNewFile', path, () => base.writeNewFile(path, data), () =>
        fsp.writeFile(path, data.subarray(0, Math.floor(data.byteLength / 2)), { flag: 'wx' }),
      ),
    appendFileSynced: (path, data) =>
      run('appendFileSynced', path, () => base.appendFileSynced(path, data), () =>
        fsp.appendFile(path, data.subarray(0, Math.floor(data.byteLength / 2))),
      ),
    rename: (from, to) => run('rename', to, () => base.rename(from, to)),
    unlink: (path) => run('unlink', path, () => base.unlink(path)),
    link: (existing, newPath) => run('link', newPath, () => base.link(existing, newPath)),
    mkdir: (path, opts) => run('mkdir', path, () => base.mkdir(path, opts)),
    syncDir: (path) => run('syncDir', path, () => base.syncDir(path)),
    readFile: (path) => run('readFile', path, () => base.readFile(path)),
    lstat: (path) => run('lstat', path, () => base.lstat(path)),
    stat: (path) => run('stat', path, () => base.stat(path)),
    readdir: (path) => run('readdir', path, () => base.readdir(path)),
  };
}
