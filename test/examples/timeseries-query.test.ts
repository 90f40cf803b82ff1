/**
 * A user's modality is a CLI query with no core edit (#15): the time-series example declares its
 * query flag, how its files are read and recognised, and `mmae retrieve` / `mmae generate` take
 * `--timeseries FILE` and `--query timeseries=FILE`, giving what the public API gives.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sineDataset } from '../../examples/timeseries-plugin/sine-dataset.js';
import { main } from '../../src/cli/main.js';
import { loadRun, trainJob } from '../../src/index.js';

const pluginDir = resolve('examples/timeseries-plugin');
const plugin = join(pluginDir, 'index.js');
let dir: string;
let runDir: string;
let series: string;
const seriesText = Array.from({ length: 32 }, (_, i) =>
  Math.sin((i / 32) * 4 * Math.PI).toFixed(4),
);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-timeseries-query-'));
  const trained = await trainJob({
    config: join(pluginDir, 'config.yaml'),
    out: join(dir, 'run'),
    quiet: true,
    log: () => {},
  });
  trained.model.dispose();
  runDir = trained.runDir;
  series = join(dir, 'series.csv');
  await writeFile(series, `${seriesText.join(',')}\n`);
  await writeFile(join(dir, 'picture.csv'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1, 2]));
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs the CLI in-process, returning its exit code and what it printed. */
async function mmae(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    return { code: await main(args), stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

const idsOf = (stdout: string) =>
  stdout
    .split('\n')
    .filter((line) => /^\d+\t/.test(line))
    .map((line) => line.split('\t')[1]);

describe('the time-series example as a CLI query', () => {
  it('retrieves by --timeseries FILE and by --query timeseries=FILE the nearest series the API finds', async () => {
    const common = ['--to', 'timeseries', '--k', '3', '--plugin', plugin, '--backend', 'cpu'];
    const byFlag = await mmae('retrieve', runDir, '--timeseries', series, ...common);
    const byName = await mmae('retrieve', runDir, '--query', `timeseries=${series}`, ...common);
    expect(byFlag.code, byFlag.stderr).toBe(0);
    expect(byName.code, byName.stderr).toBe(0);
    expect(idsOf(byName.stdout)).toEqual(idsOf(byFlag.stdout));

    // The API's answer: the query's code against every test-split series, by cosine.
    const loaded = await loadRun(runDir, { plugins: [plugin], backend: 'cpu' });
    try {
      const unit = (v: Float32Array) => {
        const norm = Math.hypot(...v);
        return Array.from(v, (x) => x / norm);
      };
      const query = unit(
        await loaded.encode({ timeseries: { kind: 'text', text: seriesText.join(',') } }),
      );
      const data = await sineDataset.load(sineDataset.optionsSchema.parse({}), {
        seed: 3,
        baseDir: pluginDir,
      });
      const scored: { id: string; score: number }[] = [];
      for (let i = 0; i < data.test.size; i++) {
        const sample = data.test.sample(i);
        const code = unit(await loaded.encode({ timeseries: sample.values.timeseries! }));
        scored.push({ id: sample.id, score: code.reduce((s, x, j) => s + x * query[j]!, 0) });
      }
      scored.sort((a, b) => b.score - a.score);
      expect(idsOf(byFlag.stdout)).toEqual(scored.slice(0, 3).map((s) => s.id));

      const generated = await mmae(
        'generate',
        runDir,
        '--timeseries',
        series,
        '--to',
        'timeseries',
        '--plugin',
        plugin,
      );
      expect(generated.code, generated.stderr).toBe(0);
      const expected = await loaded.translate(
        { timeseries: { kind: 'text', text: seriesText.join(',') } },
        'timeseries',
      );
      expect(generated.stdout.trim()).toBe(
        expected.artefact.kind === 'text' ? expected.artefact.text : '',
      );
    } finally {
      loaded.dispose();
    }
  }, 120_000);

  it('reads a series query within the limit the example declares, MMAE_MAX_TIMESERIES_MB, not the text limit', async () => {
    const args = ['retrieve', runDir, '--timeseries', series, '--to', 'timeseries'];
    const withPlugin = [...args, '--plugin', plugin];
    process.env.MMAE_MAX_TIMESERIES_MB = '0.00001';
    process.env.MMAE_MAX_TEXT_MB = '1';
    try {
      const refused = await mmae(...withPlugin);
      expect(refused.code, refused.stderr).toBe(2);
      expect(refused.stderr).toMatch(
        /--timeseries: .*series\.csv.*over the 0\.00001 MiB limit for time-series files; set MMAE_MAX_TIMESERIES_MB \(in MiB\) to raise it/,
      );
      process.env.MMAE_MAX_TEXT_MB = '0.00001';
      delete process.env.MMAE_MAX_TIMESERIES_MB;
      const read = await mmae(...withPlugin);
      expect(read.code, read.stderr).toBe(0);
    } finally {
      delete process.env.MMAE_MAX_TIMESERIES_MB;
      delete process.env.MMAE_MAX_TEXT_MB;
    }
  }, 120_000);

  it('refuses a file that is not a series, an unknown modality and the flag without its plugin, in one line each', async () => {
    const cases = [
      await mmae(
        'retrieve',
        runDir,
        '--timeseries',
        join(dir, 'picture.csv'),
        '--to',
        'timeseries',
        '--plugin',
        plugin,
      ),
      await mmae(
        'retrieve',
        runDir,
        '--query',
        `sound=${series}`,
        '--to',
        'timeseries',
        '--plugin',
        plugin,
      ),
      await mmae('retrieve', runDir, '--query', series, '--to', 'timeseries', '--plugin', plugin),
      await mmae('retrieve', runDir, '--timeseries', series, '--to', 'timeseries'),
    ];
    const expected = [
      /--timeseries: .*picture\.csv is not a text file of comma- or space-separated numbers/,
      /--query: this run has no modality "sound"; it was trained on: timeseries/,
      /--query: ".*series\.csv" names no modality; give NAME=VALUE/,
      /Unknown option '--timeseries'/,
    ];
    cases.forEach((result, i) => {
      expect(result.code, result.stderr).toBe(2);
      expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
      expect(result.stderr).toMatch(expected[i]!);
    });
  }, 120_000);
});
