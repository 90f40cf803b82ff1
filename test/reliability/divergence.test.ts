/**
 * A run that diverges (an absurd learning rate) stops through the NaN guard with a message that
 * says what to change, a non-zero exit, and its last good checkpoint untouched.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { disposeNamedTensors, loadCheckpoint } from '../../src/runs/index.js';
import type { TrainerState } from '../../src/train/trainer-state.js';
import { errorReport, runCli } from './cli.js';
import { makeTempDir, type TempDir } from './corpus.js';
import { expectChecksumsMatch, metricEpochs, tinyConfigYaml } from './tiny-run.js';

let temp: TempDir;
beforeAll(async () => (temp = await makeTempDir()));
afterAll(() => temp.remove());

describe('mmae train with an absurd learning rate', () => {
  it('stops with a DivergenceError naming the setting to change and keeps the last good checkpoint', async () => {
    const common = { trainLimit: 300, optimizer: 'sgd', likelihood: 'bernoulli' as const };
    const good = await temp.write(
      'good.yaml',
      tinyConfigYaml({ ...common, epochs: 1, learningRate: 0.01 }),
    );
    const absurd = await temp.write(
      'absurd.yaml',
      tinyConfigYaml({ ...common, epochs: 3, learningRate: 1e6 }),
    );
    const runDir = join(temp.dir, 'run');

    const first = await runCli(['train', good, '--out', runDir, '--quiet']);
    expect(first.code, first.stderr).toBe(0);
    const manifestBefore = await readFile(join(runDir, 'manifest.json'));
    const weightsBefore = await readFile(join(runDir, 'weights.bin'));

    const diverged = await runCli(['train', absurd, '--out', runDir, '--quiet', '--resume']);
    expect(diverged.code).toBe(1);
    const report = errorReport(diverged.stderr);
    expect(report.lines, diverged.stderr).toHaveLength(1);
    expect(report.lines[0]).toMatch(/diverged/);
    expect(report.lines[0]).toContain('training.optimizer.learningRate');
    expect(report.lines[0]).toContain('1000000');
    expect(report.lines[0]).toMatch(/last good checkpoint is kept/);
    expect(report.hasStack).toBe(false);

    // The good epoch's checkpoint is the one on disk, byte for byte, and it loads.
    expect(await readFile(join(runDir, 'manifest.json'))).toEqual(manifestBefore);
    expect(await readFile(join(runDir, 'weights.bin'))).toEqual(weightsBefore);
    await expectChecksumsMatch(runDir);
    const loaded = await loadCheckpoint(runDir);
    const state = loaded.trainerState as TrainerState;
    const finite = loaded.weights.every((w) =>
      (w.tensor.dataSync() as Float32Array).every(Number.isFinite),
    );
    disposeNamedTensors(loaded.weights);
    disposeNamedTensors(loaded.optimizer);
    expect(state.epoch).toBe(1);
    expect(finite).toBe(true);
    expect(await metricEpochs(runDir)).toEqual([0]);
  });
});
