import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigError, RunError } from '../../src/errors/errors.js';
import {
  createRunDir,
  disposeNamedTensors,
  loadCheckpoint,
  resolveRunDir,
  saveCheckpoint,
} from '../../src/runs/index.js';
import { unsyncedFs } from './fault-fs.js';
import { disposeInput, makeInput, makeTempDir } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

const now = new Date('2026-11-25T17:03:00.456Z');

describe('createRunDir', () => {
  it('creates <name>-<UTC timestamp> under the runs directory, creating that too', async () => {
    const runsDir = join(dir, 'runs');
    const run = await createRunDir(runsDir, 'mnist-vae', { now });
    expect(run).toBe(join(runsDir, 'mnist-vae-2026-11-25T17-03-00'));
  });

  it('gives runs started in the same second distinct names', async () => {
    const first = await createRunDir(dir, 'mnist-vae', { now });
    const second = await createRunDir(dir, 'mnist-vae', { now });
    const third = await createRunDir(dir, 'mnist-vae', { now });
    expect([first, second, third]).toEqual([
      join(dir, 'mnist-vae-2026-11-25T17-03-00'),
      join(dir, 'mnist-vae-2026-11-25T17-03-00-2'),
      join(dir, 'mnist-vae-2026-11-25T17-03-00-3'),
    ]);
  });

  it.each(['../escape', 'a/b', '', '.hidden'])('refuses the run name %j', async (name) => {
    const error = await createRunDir(dir, name, { now }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).field).toBe('name');
  });
});

describe('resolveRunDir', () => {
  async function makeRun(name: string): Promise<string> {
    const run = join(dir, name);
    await mkdir(run);
    const input = makeInput(1);
    await saveCheckpoint(run, input, { fs: unsyncedFs });
    disposeInput(input);
    return run;
  }

  it('accepts a path to a run', async () => {
    const run = await makeRun('a-2026-01-01T00-00-00');
    expect(await resolveRunDir(run)).toBe(run);
  });

  it('finds a run by name in the runs directory', async () => {
    const run = await makeRun('a-2026-01-01T00-00-00');
    expect(await resolveRunDir('a-2026-01-01T00-00-00', { runsDir: dir })).toBe(run);
  });

  it('says that a directory without a manifest is not a run', async () => {
    await mkdir(join(dir, 'plain'));
    await writeFile(join(dir, 'plain', 'notes.txt'), 'hi');
    await expect(resolveRunDir(join(dir, 'plain'))).rejects.toThrow(
      `${join(dir, 'plain')} is not an mmae run: it has no manifest.json`,
    );
  });

  it('lists the runs that exist, newest first, when the name matches none', async () => {
    await makeRun('a-2026-01-01T00-00-00');
    await makeRun('a-2026-02-01T00-00-00');
    const error = await resolveRunDir('nope', { runsDir: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toContain(`No run 'nope': looked for`);
    expect((error as Error).message).toContain(
      `Runs in ${dir}: a-2026-02-01T00-00-00, a-2026-01-01T00-00-00.`,
    );
  });
});

describe('a run directory reached through a symbolic link', () => {
  it('resolves, saves and loads like a plain directory', async () => {
    const real = join(dir, 'disk', 'r-2026-01-01T00-00-00');
    await mkdir(real, { recursive: true });
    const linked = join(dir, 'linked-run');
    await symlink(real, linked);
    const input = makeInput(2);
    await saveCheckpoint(linked, input, { fs: unsyncedFs });
    disposeInput(input);
    expect(await resolveRunDir(linked)).toBe(linked);
    const loaded = await loadCheckpoint(linked);
    expect(loaded.trainerState).toEqual(input.trainerState);
    disposeNamedTensors(loaded.weights);
    disposeNamedTensors(loaded.optimizer);
  });
});
