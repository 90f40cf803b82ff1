import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { acquireRunLock, saveCheckpoint } from '../../src/runs/index.js';
import { disposeInput, makeInput, makeTempDir } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

const lockPath = () => join(dir, 'run.lock');

/** The pid of a process that has exited, so it is certainly not alive. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

async function writeLock(fields: Record<string, unknown>): Promise<void> {
  const lock = {
    format: 'mmae-lock',
    pid: process.ppid,
    hostname: hostname(),
    startedAt: '2026-01-01T00:00:00.000Z',
    command: 'mmae train',
    token: 'feedface',
    ...fields,
  };
  await writeFile(lockPath(), JSON.stringify(lock));
}

async function refusal(): Promise<RunError> {
  const error = await acquireRunLock(dir).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(RunError);
  return error as RunError;
}

describe('acquireRunLock', () => {
  it('writes the holder pid, host and start time, and removes the lock on release', async () => {
    const lock = await acquireRunLock(dir, { command: 'mmae train' });
    const held = JSON.parse(await readFile(lockPath(), 'utf8')) as Record<string, unknown>;
    expect(held).toMatchObject({ format: 'mmae-lock', pid: process.pid, hostname: hostname() });
    expect(Date.parse(held.startedAt as string)).not.toBeNaN();
    await lock.release();
    await lock.release();
    expect(existsSync(lockPath())).toBe(false);
  });

  it('refuses a second writer, naming the lock file, the pid holding it and what to do', async () => {
    const lock = await acquireRunLock(dir);
    try {
      const error = await refusal();
      expect(error.message).toContain(`${lockPath()} is held by pid ${process.pid}`);
      expect(error.message).toContain('wait for it to finish');
      expect(error.file).toBe(lockPath());
    } finally {
      await lock.release();
    }
  });

  it('refuses a lock held by another live process on this host', async () => {
    await writeLock({ pid: process.ppid });
    expect((await refusal()).message).toContain(`pid ${process.ppid} on ${hostname()}`);
    expect(existsSync(lockPath())).toBe(true);
  });

  it('takes over a lock whose holder is no longer running, with a note', async () => {
    const pid = await deadPid();
    await writeLock({ pid });
    const notes: string[] = [];
    const lock = await acquireRunLock(dir, { log: (line) => notes.push(line) });
    expect(notes).toEqual([expect.stringContaining(`took over the stale lock ${lockPath()}`)]);
    expect(notes[0]).toContain(`pid ${pid}`);
    expect(JSON.parse(await readFile(lockPath(), 'utf8'))).toMatchObject({ pid: process.pid });
    await lock.release();
  });

  it('takes over an unreadable lock once it is old, and refuses a fresh one that may be being written', async () => {
    await writeFile(lockPath(), 'garbage');
    expect((await refusal()).message).toContain('another mmae may be starting');
    const minuteAgo = new Date(Date.now() - 60_000);
    await utimes(lockPath(), minuteAgo, minuteAgo);
    const notes: string[] = [];
    const lock = await acquireRunLock(dir, { log: (line) => notes.push(line) });
    expect(notes[0]).toContain('not an mmae lock file');
    await lock.release();
  });

  it('never takes over a lock from another host, and says how to remove it', async () => {
    await writeLock({ hostname: 'elsewhere.example', pid: await deadPid() });
    const error = await refusal();
    expect(error.message).toContain('on elsewhere.example');
    expect(error.message).toContain(`If no mmae is running on elsewhere.example, delete ${lockPath()}`);
  });

  it('leaves a lock alone on release once it is no longer its own', async () => {
    const lock = await acquireRunLock(dir);
    await writeLock({ token: 'someone-else' });
    await lock.release();
    expect(existsSync(lockPath())).toBe(true);
  });

  it('adds its signal handlers while held and removes them on release', async () => {
    const before = ['SIGINT', 'SIGTERM', 'exit'].map((e) => process.listenerCount(e));
    const lock = await acquireRunLock(dir);
    expect(process.listenerCount('SIGINT')).toBe((before[0] ?? 0) + 1);
    await lock.release();
    expect(['SIGINT', 'SIGTERM', 'exit'].map((e) => process.listenerCount(e))).toEqual(before);
  });
});

describe('saveCheckpoint and the lock', () => {
  it('refuses to save while another live process holds the run', async () => {
    await writeLock({ pid: process.ppid });
    const input = makeInput(1);
    const error = await saveCheckpoint(dir, input).catch((e: unknown) => e);
    disposeInput(input);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toContain(`${lockPath()} is held by pid ${process.ppid}`);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(false);
  });

  it('saves under its own lock and beside a stale one', async () => {
    const lock = await acquireRunLock(dir);
    const input = makeInput(1);
    await saveCheckpoint(dir, input);
    await lock.release();
    await writeLock({ pid: await deadPid() });
    await saveCheckpoint(dir, input);
    disposeInput(input);
    expect(existsSync(join(dir, 'manifest.json'))).toBe(true);
  });
});
