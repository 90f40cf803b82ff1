/**
 * A checkpoint write that fails (full disk, read-only file system) is reported as a RunError
 * naming the file and the cause, and the run's previous checkpoint stays loadable and intact.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import {
  disposeNamedTensors,
  loadCheckpoint,
  saveCheckpoint,
  type CheckpointInput,
  type LoadedCheckpoint,
} from '../../src/runs/index.js';
import { smallMnistConfig } from '../experiment/small-config.js';
import { faultFs } from '../runs/fault-fs.js';
import { expectMmaeError, makeTempDir, type TempDir } from './corpus.js';
import { checkpointWeights, expectChecksumsMatch, maxAbsDiff } from './tiny-run.js';

let temp: TempDir;
let runDir: string;
beforeAll(async () => {
  temp = await makeTempDir();
  const config = smallMnistConfig({ training: { epochs: 1 } });
  const small = {
    ...config,
    dataset: { ...config.dataset, options: { trainLimit: 200, validationSize: 50, testLimit: 50 } },
  };
  const result = await trainJob({
    config: { config: small, baseDir: temp.dir },
    out: join(temp.dir, 'run'),
    quiet: true,
    log: () => undefined,
  });
  result.model.dispose();
  runDir = result.runDir;
});
afterAll(() => temp.remove());

/** The loaded checkpoint as the input of a next save, one epoch further on. */
function nextSave(loaded: LoadedCheckpoint): CheckpointInput {
  return {
    weights: loaded.weights,
    optimizer: loaded.optimizer,
    topology: loaded.topology as Record<string, object> | null,
    trainerState: { ...(loaded.trainerState as object), epoch: epochOf(loaded) + 1 },
    pluginState: loaded.pluginState,
    config: loaded.config,
    metadata: loaded.metadata,
  };
}

async function failingSave(code: string, failOn: (op: string, path: string) => boolean) {
  const before = await readFile(join(runDir, 'manifest.json'));
  const weights = await checkpointWeights(runDir);
  const loaded = await loadCheckpoint(runDir);
  const fs = faultFs({ fault: ({ op, path }) => (failOn(op, path) ? code : undefined) });
  try {
    const error = await expectMmaeError(
      () => saveCheckpoint(runDir, nextSave(loaded), { fs }),
      RunError,
      [code],
    );
    expect(fs.faulted).toBe(true);
    return { error, before, weights };
  } finally {
    disposeNamedTensors(loaded.weights);
    disposeNamedTensors(loaded.optimizer);
  }
}

function epochOf(loaded: LoadedCheckpoint): number {
  return (loaded.trainerState as { epoch: number }).epoch;
}

/**
 * The run still loads the checkpoint it had: manifest.json unchanged, the same weights and
 * epoch, and the generation it loads (the current files, or previous/ when the failed save had
 * begun replacing them) matches its checksums.
 */
async function expectIntact(before: Buffer, weights: Map<string, Float32Array>): Promise<void> {
  expect(await readFile(join(runDir, 'manifest.json'))).toEqual(before);
  const manifest = JSON.parse(before.toString('utf8')) as { generation: number };
  const loaded = await loadCheckpoint(runDir);
  disposeNamedTensors(loaded.weights);
  disposeNamedTensors(loaded.optimizer);
  expect(loaded.manifest.generation).toBe(manifest.generation);
  await expectChecksumsMatch(loaded.source === 'current' ? runDir : join(runDir, 'previous'));
  expect(maxAbsDiff(await checkpointWeights(runDir), weights)).toBe(0);
}

/** Once the disk is writable again, the next save commits normally. */
async function expectNextSaveCommits(): Promise<void> {
  const loaded = await loadCheckpoint(runDir);
  try {
    const epoch = epochOf(loaded);
    await saveCheckpoint(runDir, nextSave(loaded));
    const reloaded = await loadCheckpoint(runDir);
    disposeNamedTensors(reloaded.weights);
    disposeNamedTensors(reloaded.optimizer);
    expect(reloaded.source).toBe('current');
    expect(epochOf(reloaded)).toBe(epoch + 1);
    await expectChecksumsMatch(runDir);
  } finally {
    disposeNamedTensors(loaded.weights);
    disposeNamedTensors(loaded.optimizer);
  }
}

describe('a checkpoint write that fails', () => {
  it('reports a full disk while writing weights.bin and leaves the previous checkpoint intact', async () => {
    const { error, before, weights } = await failingSave(
      'ENOSPC',
      (op, path) => op === 'writeNewFile' && path.includes('weights.bin'),
    );
    expect(error.message).toContain('weights.bin');
    expect(error.message).toMatch(/disk is full/);
    await expectIntact(before, weights);
    await expectNextSaveCommits();
  });

  it('reports a read-only file system at the commit and leaves the previous checkpoint intact', async () => {
    const { error, before, weights } = await failingSave(
      'EROFS',
      (op, path) => op === 'rename' && path.endsWith('manifest.json'),
    );
    expect(error.message).toContain('manifest.json');
    await expectIntact(before, weights);
    await expectNextSaveCommits();
  });
});
