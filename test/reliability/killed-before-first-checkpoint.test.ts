/**
 * A run killed after logging its first epoch but before its first checkpoint: `--resume` says
 * there is nothing to resume, and training again into the same directory starts clean.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { smallMnistConfig } from '../experiment/small-config.js';
import { expectMmaeError, makeTempDir, type TempDir } from './corpus.js';
import { expectChecksumsMatch, metricEpochs } from './tiny-run.js';

let temp: TempDir;
beforeAll(async () => (temp = await makeTempDir()));
afterAll(() => temp.remove());

describe('a training process killed before its first checkpoint', () => {
  it('cannot be resumed, says why, and starts over cleanly without --resume', async () => {
    // What a kill between the first metrics line and the first checkpoint leaves.
    const dir = join(temp.dir, 'killed-early');
    await mkdir(dir);
    await writeFile(join(dir, 'metrics.jsonl'), '{"epoch":0,"train":{}}\n{"epoch":1,"tr');
    const config = smallMnistConfig({ training: { epochs: 1 } });
    const options = { trainLimit: 100, validationSize: 20, testLimit: 20 };
    const job = (resume: boolean) =>
      trainJob({
        config: {
          config: { ...config, dataset: { ...config.dataset, options } },
          baseDir: temp.dir,
        },
        out: dir,
        resume,
        quiet: true,
        log: () => undefined,
      });

    await expectMmaeError(() => job(true), RunError, [dir, 'no checkpoint', 'Train the run again']);
    const result = await job(false);
    result.model.dispose();
    expect(await metricEpochs(dir)).toEqual([0]);
    await expectChecksumsMatch(dir);
  });
});
