/**
 * One writer per run: a second `mmae train` (or `--resume`) on the same --out is refused with a
 * message naming the lock and its holder, while the first finishes a run whose metrics log each
 * epoch once. The lock goes away however the writer ends, and a dead writer's lock is taken over.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorReport, startCli, type CliProcess } from './cli.js';
import { RunError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { expectMmaeError, makeTempDir, type TempDir } from './corpus.js';
import { expectChecksumsMatch, metricEpochs, sleep, tinyConfigYaml } from './tiny-run.js';

const EPOCHS = 3;
let temp: TempDir;
let config: string;
beforeAll(async () => {
  temp = await makeTempDir();
  config = await temp.write('tiny.yaml', tinyConfigYaml({ epochs: EPOCHS, trainLimit: 300 }));
});
afterAll(() => temp.remove());

const lockOf = (dir: string) => join(dir, 'run.lock');

async function until(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 1200; i++) {
    if (condition()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

/**
 * Starts a writer and freezes it (SIGSTOP) as soon as it holds the lock, so a second writer
 * meets it mid-run however fast the machine is; `resume` lets it go on.
 */
async function frozenWriter(args: string[], dir: string): Promise<CliProcess & { resume(): void }> {
  const run = startCli(args);
  let exited = false;
  void run.done.then(() => (exited = true));
  await until(() => existsSync(lockOf(dir)) || exited, `${lockOf(dir)}`);
  run.child.kill('SIGSTOP');
  expect(exited).toBe(false);
  return { ...run, resume: () => run.child.kill('SIGCONT') };
}

/**
 * Starts two writers at once; whichever takes the lock is frozen until the other has exited,
 * so the other meets it mid-run however fast or loaded the machine is.
 */
async function twoWriters(args: string[], dir: string) {
  const runs = [startCli(args), startCli(args)];
  const exited = runs.map(() => false);
  runs.forEach((run, i) => void run.done.then(() => (exited[i] = true)));
  await until(() => existsSync(lockOf(dir)) || exited.some(Boolean), lockOf(dir));
  const holderPid = (JSON.parse(readFileSync(lockOf(dir), 'utf8')) as { pid: number }).pid;
  const holder = runs.find((run) => run.child.pid === holderPid);
  const other = runs.find((run) => run !== holder);
  if (holder === undefined || other === undefined)
    throw new Error(`no writer has pid ${holderPid}`);
  holder.child.kill('SIGSTOP');
  const refused = await other.done;
  holder.child.kill('SIGCONT');
  return { holderPid, held: await holder.done, refused };
}

function expectLockRefusal(stderr: string, dir: string, pid: number): void {
  const { lines, hasStack } = errorReport(stderr);
  expect(hasStack).toBe(false);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toContain(`${lockOf(dir)} is held by pid ${pid}`);
  expect(lines[0]).toContain('Only one process may write a run at a time');
}

async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.on('exit', resolve));
  return child.pid as number;
}

describe('two writers on one run directory', () => {
  it('lets exactly one train; the other exits non-zero naming the lock, and each epoch is logged once', async () => {
    const dir = join(temp.dir, 'shared');
    const { holderPid, held, refused } = await twoWriters(
      ['train', config, '--out', dir, '--quiet'],
      dir,
    );
    expect(refused.code).not.toBe(0);
    expectLockRefusal(refused.stderr, dir, holderPid);
    expect(held.code, held.stderr).toBe(0);
    expect(await metricEpochs(dir)).toEqual([0, 1, 2]);
    await expectChecksumsMatch(dir);
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it('refuses a second --resume while the first resumes', async () => {
    const dir = join(temp.dir, 'resumed');
    const done = await trainJob({ config, out: dir, quiet: true, log: () => undefined, epochs: 1 });
    done.model.dispose();
    const more = ['train', config, '--out', dir, '--quiet', '--resume', '--epochs', '2'];
    const { holderPid, held, refused } = await twoWriters(more, dir);
    expect(refused.code).not.toBe(0);
    expectLockRefusal(refused.stderr, dir, holderPid);
    expect(held.code, held.stderr).toBe(0);
    expect(await metricEpochs(dir)).toEqual([0, 1]);
    expect(existsSync(lockOf(dir))).toBe(false);
  });
});

describe('the run lock', () => {
  const train = (out: string, log: (line: string) => void = () => undefined, resume = false) =>
    trainJob({ config, out, quiet: true, log, resume, epochs: 1 });

  it('left by a writer that died is taken over with a note', async () => {
    const dir = join(temp.dir, 'stale');
    await mkdir(dir);
    const pid = await deadPid();
    const lock = { format: 'mmae-lock', pid, hostname: hostname(), startedAt: 'x', token: 't' };
    await writeFile(lockOf(dir), JSON.stringify(lock));
    const logged: string[] = [];
    (await train(dir, (line) => logged.push(line))).model.dispose();
    expect(logged).toContainEqual(
      expect.stringContaining(`took over the stale lock ${lockOf(dir)}`),
    );
    expect(logged.join('\n')).toContain(`pid ${pid}`);
    expect(await metricEpochs(dir)).toEqual([0]);
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it('is gone after a run that failed', async () => {
    // Killed before its first checkpoint: --resume takes the lock, then finds nothing to resume.
    const dir = join(temp.dir, 'failed');
    await mkdir(dir);
    await writeFile(join(dir, 'metrics.jsonl'), '');
    await expectMmaeError(() => train(dir, undefined, true), RunError, ['no checkpoint']);
    expect(existsSync(lockOf(dir))).toBe(false);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)(
    'is gone after a writer stopped by %s',
    async (signal) => {
      const dir = join(temp.dir, `stopped-${signal}`);
      const run = await frozenWriter(['train', config, '--out', dir, '--quiet'], dir);
      run.child.kill(signal);
      run.resume();
      const result = await run.done;
      expect(result.signal).toBe(signal);
      expect(existsSync(lockOf(dir))).toBe(false);
    },
  );
});
