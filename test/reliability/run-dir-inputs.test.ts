/**
 * What a run directory holds is data to check, never to trust: a trainer state that says epoch
 * −3 is refused by name, and one damaged line of metrics.jsonl costs a point on the loss curve,
 * not the evaluation.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { evalJob } from '../../src/experiment/eval-job.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { loadCheckpoint } from '../../src/runs/index.js';
import { smallMnistConfig } from '../experiment/small-config.js';
import { expectMmaeError, makeTempDir, type TempDir } from './corpus.js';
import { forgeJson } from './forged-run.js';

let temp: TempDir;
let trained: string;
const config = smallMnistConfig({ training: { epochs: 2 } });
const tiny = {
  config: {
    ...config,
    dataset: { ...config.dataset, options: { trainLimit: 100, validationSize: 20, testLimit: 40 } },
  },
};
const job = (out: string, resume: boolean) =>
  trainJob({
    config: { config: tiny.config, baseDir: temp.dir },
    out,
    resume,
    quiet: true,
    log: () => undefined,
  });

beforeAll(async () => {
  temp = await makeTempDir();
  trained = join(temp.dir, 'trained');
  (await job(trained, false)).model.dispose();
});
afterAll(() => temp.remove());

/** A copy of the trained run, so each test breaks its own. */
async function copyOfRun(name: string): Promise<string> {
  const dir = join(temp.dir, name);
  await cp(trained, dir, { recursive: true });
  return dir;
}

/** Edits optimizer.json and its manifest entry, as someone crafting a run would. */
async function forgeTrainerState(dir: string, edit: Record<string, unknown>): Promise<void> {
  await forgeJson(dir, 'optimizer.json', (file) => {
    file.trainerState = { ...(file.trainerState as object), ...edit };
  });
}

describe('a checkpoint whose trainer state is out of range', () => {
  it('is refused on resume with a RunError naming optimizer.json and trainerState.epoch', async () => {
    const dir = await copyOfRun('epoch-minus-3');
    await forgeTrainerState(dir, { epoch: -3 });
    await expectMmaeError(() => job(dir, true), RunError, [
      join(dir, 'optimizer.json'),
      'field trainerState.epoch',
    ]);
    // Refused by every reader, not only by training.
    await expect(loadCheckpoint(dir)).rejects.toThrow('field trainerState.epoch');
  });

  it.each([
    ['step', 1.5],
    ['phase', 'warmup'],
    ['bestValidation', 'low'],
  ])('refuses trainerState.%s = %j by name', async (field, value) => {
    const dir = await copyOfRun(`bad-${field}`);
    await forgeTrainerState(dir, { [field]: value });
    await expect(loadCheckpoint(dir)).rejects.toThrow(`field trainerState.${field}`);
  });

  it('is refused on resume when a field the trainer needs is missing', async () => {
    const dir = await copyOfRun('no-bad-epochs');
    await forgeTrainerState(dir, { badEpochs: undefined });
    await expectMmaeError(() => job(dir, true), RunError, ['field trainerState.badEpochs']);
  });
});

describe('evaluating a run whose metrics.jsonl has a damaged line', () => {
  it('finishes, and says in its log and its report which line it skipped', async () => {
    const dir = await copyOfRun('bad-metrics-line');
    const metricsPath = join(dir, 'metrics.jsonl');
    const [first, second] = (await readFile(metricsPath, 'utf8')).split('\n');
    await writeFile(metricsPath, `${first}\n{"epoch": oops\n${second}\n`);
    const logged: string[] = [];
    const report = await evalJob(dir, {
      probeRows: 50,
      iwSamples: 2,
      iwRows: 10,
      log: (line) => logged.push(line),
    });
    const warning = `${metricsPath} line 2 is not valid JSON; skipped that line.`;
    expect(report.warnings).toEqual([warning]);
    expect(logged).toEqual([`warning: ${warning}`]);
    expect(report.files).toContain('eval/loss-curve.png');
    expect(await readFile(join(dir, 'eval', 'report.md'), 'utf8')).toContain(`- ${warning}`);
  });
});
