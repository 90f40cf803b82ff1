import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRegistry, evalJob, loadRun, trainJob } from '../../src/index.js';

const run = promisify(execFile);
const pluginDir = resolve('examples/timeseries-plugin');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-example-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('a plugin from outside src/ (docs/plugins.md example)', () => {
  it('registers its modality and dataset next to the built-ins', async () => {
    const registry = await createRegistry({ plugins: [join(pluginDir, 'index.js')] });
    expect([...registry.modalities.keys()]).toEqual(
      expect.arrayContaining(['image', 'text', 'audio', 'timeseries']),
    );
    expect(registry.datasets.has('sine-waves')).toBe(true);
  });

  it('trains from a config that names it, with falling loss, and the run reloads with it named again', async () => {
    const out = join(dir, 'run');
    const { result, model } = await trainJob({
      config: join(pluginDir, 'config.yaml'),
      out,
      quiet: true,
      log: () => {},
    });
    model.dispose();
    const first = result.history[0]!.train.total!;
    const last = result.history.at(-1)!.train.total!;
    expect(last).toBeLessThan(0.5 * first);
    // A run never names the code that opens it: the user names the plugin again.
    await expect(loadRun(out)).rejects.toThrow(/"timeseries".*--plugin/s);
    const loaded = await loadRun(out, { plugins: [join(pluginDir, 'index.js')] });
    const rendered = await loaded.translate(
      { timeseries: { kind: 'text', text: Array(32).fill('0.5').join(',') } },
      'timeseries',
    );
    expect(rendered.artefact.kind).toBe('text');
    loaded.dispose();
  });

  it('gets robustness curves in the eval from the corruption it declares, with no core edit', async () => {
    const out = join(dir, 'captioned');
    const plugins = [join(pluginDir, 'index.js')];
    const trained = await trainJob({
      config: join(pluginDir, 'config-captioned.yaml'),
      out,
      quiet: true,
      log: () => {},
    });
    trained.model.dispose();
    const report = await evalJob(out, { plugins, log: () => {} });
    const curves = report.crossModal?.robustness ?? [];
    expect(curves.map((c) => `${c.modality}/${c.noise}`)).toEqual([
      'timeseries/sensor-noise',
      'text/word-dropout',
      'text/typos',
    ]);
    const series = curves[0]!;
    expect(series.levels).toEqual([0, 0.5, 1, 2]);
    for (const share of [...series.coherence, ...series.recallAt10]) {
      expect(share).toBeGreaterThanOrEqual(0);
      expect(share).toBeLessThanOrEqual(1);
    }
    // Noise of twice the series' spread costs the captions it generates some of their class.
    expect(series.coherence.at(-1)!).toBeLessThan(series.coherence[0]!);
    expect(report.files).toContain('eval/robustness-timeseries-sensor-noise.png');
    const png = await readFile(join(out, 'eval', 'robustness-timeseries-sensor-noise.png'));
    expect(png.subarray(1, 4).toString()).toBe('PNG');
  });

  it("scores the classes a user's dataset holds out by reconstruction error, with no core edit", async () => {
    const config = join(dir, 'held-out.yaml');
    const yaml = (await readFile(join(pluginDir, 'config.yaml'), 'utf8'))
      .replace('./index.js', join(pluginDir, 'index.js'))
      .replace('  id: sine-waves', '  id: sine-waves\n  options: { heldOutClasses: [2] }');
    await writeFile(config, yaml);
    const out = join(dir, 'held-out');
    const trained = await trainJob({ config, out, quiet: true, log: () => {} });
    trained.model.dispose();
    const report = await evalJob(out, { plugins: [join(pluginDir, 'index.js')], log: () => {} });
    expect(report.anomaly?.excludedClasses).toEqual([2]);
    // The fast waves it never saw are rebuilt worse than the slow and medium ones it learnt.
    expect(report.anomaly!.auroc).toBeGreaterThan(0.9);
  }, 120_000);

  it('is listed by `mmae plugins --plugin`', async () => {
    const { stdout } = await run('node', [
      'bin/mmae.js',
      'plugins',
      '--plugin',
      join(pluginDir, 'index.js'),
    ]);
    expect(stdout).toMatch(/timeseries: Fixed-length numeric series/);
    expect(stdout).toMatch(/sine-waves/);
    expect(stdout).toMatch(/image:/);
  });

  it('refuses a duplicate id and an unknown id with the registered ones listed', async () => {
    await expect(
      createRegistry({ plugins: [join(pluginDir, 'index.js'), join(pluginDir, 'index.js')] }),
    ).rejects.toThrow(/share the id "timeseries"/);
    const registry = await createRegistry();
    expect(() => registry.modality('nope')).toThrow(/Registered: audio, image, text/);
  });
});
