/**
 * A model variant from outside src/ (examples/denoising-variant, which imports only the package
 * root), registered through a `plugins:` module like the time-series modality, and trained.
 */
import { readFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, createRegistry, loadRun, parseConfig, trainJob } from '../../src/index.js';

const variantModule = resolve('examples/denoising-variant/index.js');
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-variant-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

function config(model: Record<string, unknown>) {
  return parseConfig({
    name: 'denoising-mnist',
    seed: 5,
    backend: 'wasm',
    plugins: [variantModule],
    dataset: { id: 'mnist', options: { trainLimit: 600, validationSize: 100, testLimit: 100 } },
    modalities: [{ id: 'image', options: { hiddenSizes: [64, 32], likelihood: 'bernoulli' } }],
    model: { latentSize: 8, ...model },
    training: { epochs: 3, batchSize: 50 },
  });
}

describe('a variant from outside src/ (examples/denoising-variant)', () => {
  it('registers next to the built-in variants', async () => {
    const registry = await createRegistry({ plugins: [variantModule] });
    expect([...registry.variants.keys()]).toEqual(
      expect.arrayContaining(['standard', 'poe', 'jmvae', 'denoising']),
    );
    await expect(createRegistry({ plugins: [variantModule, variantModule] })).rejects.toThrow(
      /two variant plugins share the id "denoising"/,
    );
  });

  it('trains with trainJob: the loss falls and its terms are logged by name', async () => {
    const out = join(dir, 'run');
    const { result, model } = await trainJob({
      config: { config: config({ variant: 'denoising', noise: 0.3 }), baseDir: dir },
      out,
      quiet: true,
      log: () => {},
    });
    model.dispose();
    const totals = result.history.map((h) => h.train.total!);
    expect(totals.every(Number.isFinite)).toBe(true);
    expect(totals.at(-1)!).toBeLessThan(totals[0]!);
    const lines = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { train: Record<string, number> };
    expect(Object.keys(last.train).sort()).toEqual(
      ['codeNorm', 'reconstruction', 'reconstruction.image', 'total'].sort(),
    );
    // The noise is the training input's only: the total is reconstruction + λ‖z‖², λ = 1e-3.
    expect(last.train.total).toBeCloseTo(
      last.train.reconstruction! + 1e-3 * last.train.codeNorm!,
      3,
    );
    const saved = JSON.parse(await readFile(join(out, 'config.json'), 'utf8')) as {
      model: Record<string, unknown>;
    };
    expect(saved.model).toMatchObject({ variant: 'denoising', noise: 0.3 });
    // A run never names the code that opens it: the user names the variant's module again.
    await expect(loadRun(out)).rejects.toThrow(/variant plugin "denoising".*--plugin/s);
    const loaded = await loadRun(out, { plugins: [variantModule] });
    expect(loaded.modalities).toEqual(['image']);
    loaded.dispose();
  }, 240_000);

  it("checks the variant's options with its own schema", async () => {
    const train = (model: Record<string, unknown>) =>
      trainJob({
        config: { config: config(model), baseDir: dir },
        out: join(dir, `refused-${Object.keys(model).join('-')}`),
        quiet: true,
        log: () => {},
      });
    const tooNoisy = train({ variant: 'denoising', noise: 2 });
    await expect(tooNoisy).rejects.toBeInstanceOf(ConfigError);
    await expect(tooNoisy).rejects.toThrow(/invalid options for "denoising"[\s\S]*noise/);
    await expect(train({ variant: 'standard', noise: 0.3 })).rejects.toThrow(
      /variant "standard" takes no option "noise" \(it is an option of denoising\)/,
    );
    await expect(train({ variant: 'denoising', jmvaeAlpha: 1 })).rejects.toThrow(
      /variant "denoising" takes no option "jmvaeAlpha" \(it is an option of jmvae\)/,
    );
  });
});
