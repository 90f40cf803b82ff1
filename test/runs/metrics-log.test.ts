import { appendFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { appendMetrics, readMetrics, replaceMetrics } from '../../src/runs/index.js';
import { faultFs } from './fault-fs.js';
import { makeTempDir } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

describe('appendMetrics and readMetrics', () => {
  it('reads back one record per appended epoch, in order', async () => {
    await appendMetrics(dir, { epoch: 1, loss: 2.5, recon: { image: 2.1 } });
    await appendMetrics(dir, { epoch: 2, loss: 1.75, recon: { image: 1.5 } });
    expect(await readMetrics(dir)).toEqual([
      { epoch: 1, loss: 2.5, recon: { image: 2.1 } },
      { epoch: 2, loss: 1.75, recon: { image: 1.5 } },
    ]);
    expect((await readFile(join(dir, 'metrics.jsonl'), 'utf8')).split('\n')).toHaveLength(3);
  });

  it('gives an empty list for a run with no metrics yet', async () => {
    expect(await readMetrics(dir)).toEqual([]);
  });

  it('drops a last line torn by a crash mid-append', async () => {
    await appendMetrics(dir, { epoch: 1, loss: 2 });
    await appendFile(join(dir, 'metrics.jsonl'), '{"epoch": 2, "lo');
    expect(await readMetrics(dir)).toEqual([{ epoch: 1, loss: 2 }]);
  });

  it('names the line of a damaged record in the middle of the file', async () => {
    await writeFile(join(dir, 'metrics.jsonl'), '{"epoch":1}\nnot json\n{"epoch":3}\n');
    await expect(readMetrics(dir)).rejects.toThrow('metrics.jsonl line 2 is not valid JSON');
  });

  it('skips damaged lines and names each one when the caller asks to skip them', async () => {
    const path = join(dir, 'metrics.jsonl');
    await writeFile(path, '{"epoch":0}\nnot json\n[1]\n{"epoch":3}\n{"epoch":4');
    const skipped: string[] = [];
    const records = await readMetrics(dir, { onSkipped: (s) => skipped.push(s.message) });
    expect(records).toEqual([{ epoch: 0 }, { epoch: 3 }]);
    expect(skipped).toEqual([
      `${path} line 2 is not valid JSON; skipped that line.`,
      `${path} line 3 is not a JSON object; skipped that line.`,
    ]);
  });

  it('refuses a NaN loss by name instead of writing null', async () => {
    const error = await appendMetrics(dir, { epoch: 1, loss: Number.NaN }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toContain('metrics record.loss is NaN');
    expect(await readMetrics(dir)).toEqual([]);
  });

  it('reports a full disk with the path of the metrics file', async () => {
    const fs = faultFs({ fault: ({ op }) => (op === 'appendFileSynced' ? 'ENOSPC' : undefined) });
    await expect(appendMetrics(dir, { epoch: 1 }, fs)).rejects.toThrow(
      `Could not append metrics to ${join(dir, 'metrics.jsonl')}: ENOSPC`,
    );
  });
});

describe('replaceMetrics', () => {
  it('keeps only the given records, so a resumed run can drop epochs it never checkpointed', async () => {
    for (let epoch = 1; epoch <= 4; epoch++) await appendMetrics(dir, { epoch, loss: 1 / epoch });
    const kept = (await readMetrics(dir)).filter((record) => Number(record.epoch) <= 2);
    await replaceMetrics(dir, kept);
    await appendMetrics(dir, { epoch: 3, loss: 0.3 });
    expect(await readMetrics(dir)).toEqual([
      { epoch: 1, loss: 1 },
      { epoch: 2, loss: 0.5 },
      { epoch: 3, loss: 0.3 },
    ]);
  });
});
