import { chmod, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { disposeNamedTensors, loadCheckpoint, saveCheckpoint } from '../../src/runs/index.js';
import type { CheckpointInput } from '../../src/runs/index.js';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { faultFs, unsyncedFs, type FsCall } from './fault-fs.js';
import { disposeInput, makeInput, makeTempDir, tensorBytes } from './fixtures.js';

const MUTATING = new Set<FsCall['op']>(['writeNewFile', 'appendFileSynced', 'rename', 'unlink', 'link', 'mkdir']);
const isRoot = process.getuid?.() === 0;

const inputs = new Map<number, CheckpointInput>();
const input = (seed: number): CheckpointInput => {
  const existing = inputs.get(seed);
  if (existing !== undefined) return existing;
  const made = makeInput(seed);
  inputs.set(seed, made);
  return made;
};
afterAll(() => inputs.forEach(disposeInput));

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

/** Loads the run and tells which seed's checkpoint it holds; fails if it matches none. */
async function loadedSeed(runDir: string, candidates: readonly number[]): Promise<number> {
  const loaded = await loadCheckpoint(runDir);
  const bytes = tensorBytes(loaded.weights);
  const optimizer = tensorBytes(loaded.optimizer);
  const trainerState = loaded.trainerState;
  disposeNamedTensors(loaded.weights);
  disposeNamedTensors(loaded.optimizer);
  const seed = candidates.find((s) => JSON.stringify(tensorBytes(input(s).weights)) === JSON.stringify(bytes));
  if (seed === undefined) throw new Error(`loaded weights match none of seeds ${candidates.join(', ')}`);
  // The parts must come from one and the same checkpoint.
  expect(optimizer).toEqual(tensorBytes(input(seed).optimizer ?? []));
  expect(trainerState).toEqual(input(seed).trainerState);
  return seed;
}

async function tempFilesIn(runDir: string): Promise<string[]> {
  return (await readdir(runDir)).filter((name) => name.includes('.tmp-'));
}

/** How many file-system calls a save into a run that already has two checkpoints makes. */
async function callsOfOneSave(): Promise<number> {
  const { dir: probe, cleanup: done } = await makeTempDir(true);
  await saveCheckpoint(probe, input(1), fast);
  await saveCheckpoint(probe, input(2), fast);
  const counter = faultFs({ fault: () => undefined, base: unsyncedFs });
  await saveCheckpoint(probe, input(3), { fs: counter });
  await done();
  return counter.calls.length;
}

describe('a save that fails', () => {
  it('leaves the previous checkpoint loadable and intact when the disk fills while writing weights.bin', async () => {
    await saveCheckpoint(dir, input(1));
    await saveCheckpoint(dir, input(2));
    const manifestBefore = await readFile(join(dir, 'manifest.json'));
    const fs = faultFs({
      fault: ({ op, path }) => (op === 'writeNewFile' && path.includes('weights.bin') ? 'ENOSPC' : undefined),
    });
    const error = await saveCheckpoint(dir, input(3), { fs }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toContain(`Could not write ${join(dir, 'weights.bin')}: ENOSPC: the disk is full`);
    expect(await tempFilesIn(dir)).toEqual([]);
    expect(await readFile(join(dir, 'manifest.json'))).toEqual(manifestBefore);
    expect(await readFile(join(dir, 'previous', 'manifest.json'))).toEqual(manifestBefore);

    expect(await loadedSeed(dir, [1, 2, 3])).toBe(2);
    expect((await loadCheckpoint(dir).then(release)).source).toBe('previous');

    // Once there is space again, the next save commits normally.
    await saveCheckpoint(dir, input(4));
    expect(await loadedSeed(dir, [2, 4])).toBe(4);
    expect((await loadCheckpoint(dir).then(release)).source).toBe('current');
  });

  it.each(['EROFS', 'EACCES'])(
    'reports a run directory that refuses writes (%s) by path and leaves the checkpoint as it was',
    async (code) => {
      await saveCheckpoint(dir, input(1));
      const fs = faultFs({ fault: ({ op }) => (MUTATING.has(op) ? code : undefined) });
      const error = await saveCheckpoint(dir, input(2), { fs }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunError);
      expect((error as Error).message).toContain(dir);
      expect((error as Error).message).toContain(code);
      expect(await loadedSeed(dir, [1, 2])).toBe(1);
    },
  );

  it.skipIf(isRoot)('reports a real read-only directory (chmod 0o555) and leaves the checkpoint as it was', async () => {
    await saveCheckpoint(dir, input(1));
    await chmod(dir, 0o555);
    try {
      const error = await saveCheckpoint(dir, input(2)).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(RunError);
      expect((error as Error).message).toContain('EACCES');
    } finally {
      await chmod(dir, 0o755);
    }
    expect(await loadedSeed(dir, [1, 2])).toBe(1);
  });
  if (isRoot) {
    console.info('skipping the real chmod 0o555 test: running as root, where chmod does not block writes');
  }
});

describe('a save killed at any point', () => {
  let total = 0;
  beforeAll(async () => {
    total = await callsOfOneSave();
  });

  it('always leaves a loadable, checksum-valid checkpoint, old or new, from which the next save succeeds', async () => {
    expect(total).toBeGreaterThan(30);
    const outcomes = new Set<number>();
    for (let killAt = 0; killAt <= total; killAt++) {
      const { dir: run, cleanup: done } = await makeTempDir(true);
      await saveCheckpoint(run, input(1), fast);
      await saveCheckpoint(run, input(2), fast);
      const fs = killedAfter(killAt);
      const killed = await saveCheckpoint(run, input(3), { fs }).then(
        () => false,
        () => true,
      );
      expect(killed).toBe(killAt < total);
      const seed = await loadedSeed(run, [2, 3]).catch((error: unknown) => {
        throw new Error(`after a kill at call ${killAt} (${fs.calls[killAt]?.op}): ${String(error)}`);
      });
      outcomes.add(seed);
      await saveCheckpoint(run, input(4), fast);
      expect(await loadedSeed(run, [4])).toBe(4);
      expect(await tempFilesIn(run)).toEqual([]);
      await done();
    }
    expect([...outcomes].sort()).toEqual([2, 3]);
  });

  it('survives a second kill during the save that follows a killed save', async () => {
    const random = new SeededRandom(42);
    for (let trial = 0; trial < 25; trial++) {
      const [first, second] = [random.int(total), random.int(total + 10)];
      const { dir: run, cleanup: done } = await makeTempDir(true);
      await saveCheckpoint(run, input(1), fast);
      await saveCheckpoint(run, input(2), fast);
      for (const [killAt, seed] of [
        [first, 3],
        [second, 4],
      ] as const) {
        const fs = killedAfter(killAt);
        await saveCheckpoint(run, input(seed), { fs }).catch(() => undefined);
      }
      const context = `kills at calls ${first} and ${second}`;
      await expect(loadedSeed(run, [2, 3, 4]), context).resolves.toBeGreaterThan(0);
      await saveCheckpoint(run, input(5), fast);
      expect(await loadedSeed(run, [5]), context).toBe(5);
      await done();
    }
  });

  it('leaves either no checkpoint or the complete first one when the very first save is killed', async () => {
    for (let killAt = 0; killAt < total; killAt++) {
      const { dir: run, cleanup: done } = await makeTempDir(true);
      const fs = killedAfter(killAt);
      const saved = await saveCheckpoint(run, input(1), { fs }).then(
        () => true,
        () => false,
      );
      if (saved) {
        expect(await loadedSeed(run, [1])).toBe(1);
      } else {
        const error = await loadCheckpoint(run).catch((e: unknown) => e);
        if (error instanceof RunError) expect(error.message).toContain('holds no checkpoint');
        else expect(await loadedSeed(run, [1])).toBe(1);
      }
      await done();
    }
  });
});

/** A file system on which the process "dies" at call `killAt`: that call and all later ones fail. */
function killedAfter(killAt: number) {
  return faultFs({
    fault: ({ index }) => (index >= killAt ? 'EKILLED' : undefined),
    dies: true,
    base: unsyncedFs,
  });
}

const fast = { fs: unsyncedFs };

function release<T extends { weights: Parameters<typeof disposeNamedTensors>[0]; optimizer: Parameters<typeof disposeNamedTensors>[0] }>(
  loaded: T,
): T {
  disposeNamedTensors(loaded.weights);
  disposeNamedTensors(loaded.optimizer);
  return loaded;
}
