/**
 * A training process killed with SIGKILL mid-epoch leaves a checkpoint that loads and matches its
 * checksums; `--resume` then finishes with the weights an uninterrupted run ends with.
 */
import { existsSync } from 'node:fs';
import { appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint, disposeNamedTensors } from '../../src/runs/index.js';
import type { TrainerState } from '../../src/train/trainer-state.js';
import { runCli, startCli, type CliResult } from './cli.js';
import { makeTempDir, type TempDir } from './corpus.js';
import {
  checkpointWeights,
  expectChecksumsMatch,
  maxAbsDiff,
  metricEpochs,
  sleep,
  tinyConfigYaml,
} from './tiny-run.js';

// Enough epochs that a kill shortly after the first checkpoint lands mid-run even on native
// kernels (an epoch of 4,000 images takes ~0.2 s there, ~1 s on WebAssembly).
const EPOCHS = 10;
let temp: TempDir;
let config: string;
let reference: Promise<CliResult>;
const referenceDir = () => join(temp.dir, 'uninterrupted');
const crashedDir = () => join(temp.dir, 'crashed');

beforeAll(async () => {
  temp = await makeTempDir();
  config = await temp.write('tiny.yaml', tinyConfigYaml({ epochs: EPOCHS, trainLimit: 4000 }));
  // The uninterrupted run goes on beside the crash test; both are deterministic.
  reference = runCli(['train', config, '--out', referenceDir(), '--quiet']);
});
afterAll(() => temp.remove());

/** Waits until the run has a committed checkpoint and its metrics line. */
async function firstCheckpoint(dir: string, alive: () => boolean): Promise<void> {
  for (let i = 0; i < 1200 && alive(); i++) {
    if (existsSync(join(dir, 'manifest.json')) && (await metricEpochs(dir)).length >= 1) return;
    await sleep(50);
  }
  throw new Error(`no checkpoint appeared in ${dir}`);
}

async function checkpointState(dir: string): Promise<TrainerState> {
  const loaded = await loadCheckpoint(dir);
  disposeNamedTensors(loaded.weights);
  disposeNamedTensors(loaded.optimizer);
  return loaded.trainerState as TrainerState;
}

/** The generation the loader chose: the current files, or previous/ if the kill hit a save. */
async function loadedGenerationDir(dir: string): Promise<string> {
  const loaded = await loadCheckpoint(dir);
  disposeNamedTensors(loaded.weights);
  disposeNamedTensors(loaded.optimizer);
  return loaded.source === 'current' ? dir : join(dir, 'previous');
}

describe('a training process killed mid-epoch', () => {
  let killedAfter: number[] = [];

  it('leaves a last checkpoint that loads and matches its checksums', async () => {
    const run = startCli(['train', config, '--out', crashedDir(), '--quiet']);
    let exited = false;
    void run.done.then(() => (exited = true));
    await firstCheckpoint(crashedDir(), () => !exited);
    // A short wait lands inside a later epoch, well before the last.
    await sleep(300);
    run.child.kill('SIGKILL');
    const result = await run.done;
    expect(result.signal).toBe('SIGKILL');

    killedAfter = await metricEpochs(crashedDir());
    expect(killedAfter.length).toBeGreaterThanOrEqual(1);
    expect(killedAfter.length).toBeLessThan(EPOCHS);
    const state = await checkpointState(crashedDir());
    expect(state.epoch).toBeGreaterThanOrEqual(1);
    expect(state.epoch).toBeLessThan(EPOCHS);
    await expectChecksumsMatch(await loadedGenerationDir(crashedDir()));
  });

  it('resumes with --resume and ends with the weights of an uninterrupted run', async () => {
    // What a kill between the metrics line and the checkpoint leaves: a line for an epoch the
    // checkpoint does not hold, then a line torn by the kill. Resuming must drop both.
    const state = await checkpointState(crashedDir());
    await appendFile(
      join(crashedDir(), 'metrics.jsonl'),
      `{"epoch":${state.epoch},"train":{}}\n{"epo`,
    );
    const resumed = await runCli(['train', config, '--out', crashedDir(), '--quiet', '--resume']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stderr).toContain('resuming');
    const uninterrupted = await reference;
    expect(uninterrupted.code, uninterrupted.stderr).toBe(0);

    const diff = maxAbsDiff(
      await checkpointWeights(crashedDir()),
      await checkpointWeights(referenceDir()),
    );
    expect(diff).toBeLessThan(1e-5);
    await expectChecksumsMatch(crashedDir());
    // Every epoch is in the metrics; none is lost to the crash.
    const all = Array.from({ length: EPOCHS }, (_, epoch) => epoch);
    expect(await metricEpochs(crashedDir())).toEqual(all);
    expect(await metricEpochs(referenceDir())).toEqual(all);
  });
});
