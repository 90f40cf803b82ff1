/**
 * A run's config.json is the resolved config (the variant's options with their defaults, the
 * fusion where one is used) and parses back to the same model; a run saved in the previous run
 * format (every flat model key defaulted, a fusion on every run) still opens and encodes the same.
 */
import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/api/load-run.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { registryOfModules } from '../../src/container/registry-of-modules.js';
import { resolvedRunConfig, variantOfConfig } from '../../src/container/variant-of-config.js';
import { ConfigError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { RUN_FORMAT_VERSION } from '../../src/runs/run-files.js';
import { smallMnistConfig } from '../experiment/small-config.js';

let dir: string;
let runDir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-saved-config-'));
  runDir = join(dir, 'poe');
  const config = smallMnistConfig({
    variant: 'poe',
    model: { beta: 0.5 },
    image: { hiddenSizes: [16] },
    training: { epochs: 1, batchSize: 20 },
  });
  const dataset = {
    ...config.dataset,
    options: { trainLimit: 60, validationSize: 20, testLimit: 20 },
  };
  const trained = await trainJob({
    config: { config: { ...config, backend: 'cpu', dataset }, baseDir: dir },
    out: runDir,
    quiet: true,
    log: () => {},
  });
  trained.model.dispose();
}, 120_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const readJson = async (file: string) =>
  JSON.parse(await readFile(file, 'utf8')) as Record<string, unknown>;

/** Rewrites JSON files of a run and signs them into its manifest, as a writer of that run would. */
async function rewriteRun(
  run: string,
  edits: Record<string, (json: Record<string, unknown>) => void>,
): Promise<void> {
  const manifest = await readJson(join(run, 'manifest.json'));
  const files = manifest.files as Record<string, { sha256: string; bytes: number }>;
  for (const [name, edit] of Object.entries(edits)) {
    const json = await readJson(join(run, name));
    edit(json);
    const bytes = Buffer.from(`${JSON.stringify(json, null, 2)}\n`);
    await writeFile(join(run, name), bytes);
    files[name] = { sha256: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length };
  }
  manifest.formatVersion = 1;
  await writeFile(join(run, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

/** The config.json format 1 wrote for this run: every model key of its flat schema, defaulted. */
function asFormat1(config: Record<string, unknown>): void {
  const model = config.model as Record<string, unknown>;
  config.model = {
    variant: model.variant,
    latentSize: model.latentSize,
    // Format 1 wrote the fusion's input width for every variant, one with no fusion too.
    fusionInputSize: 64,
    beta: model.beta,
    klAnnealEpochs: 0,
    codeActivation: 'linear',
    stacked: { pretrainEpochs: 2, finetune: true },
    modalityDropout: 0,
    importanceSamples: 1,
    jmvaeAlpha: 1,
    unimodalReconstruction: 'all',
  };
  config.fusion = { id: 'mean', options: {} };
}

async function format1Copy(name: string, extra?: (config: Record<string, unknown>) => void) {
  const copy = join(dir, name);
  await cp(runDir, copy, { recursive: true });
  await rewriteRun(copy, {
    'config.json': (config) => {
      asFormat1(config);
      extra?.(config);
    },
    'optimizer.json': (optimizer) => {
      optimizer.formatVersion = 1;
    },
  });
  return copy;
}

function digitLike(seed: number) {
  const rng = new SeededRandom(seed);
  const data = Uint8Array.from({ length: 28 * 28 }, () => (rng.next() < 0.2 ? 255 : 0));
  return { image: { kind: 'image', width: 28, height: 28, channels: 1, data } } as const;
}

describe("a run's saved config", () => {
  it("records the variant's resolved options, and no fusion for a variant without one", async () => {
    const saved = await readJson(join(runDir, 'config.json'));
    expect(saved.model).toEqual({
      variant: 'poe',
      latentSize: 8,
      beta: 0.5,
      klAnnealEpochs: 0,
      unimodalReconstruction: 'all',
    });
    expect(saved).not.toHaveProperty('fusion');
    const manifest = await readJson(join(runDir, 'manifest.json'));
    expect(manifest.formatVersion).toBe(RUN_FORMAT_VERSION);
  });

  it('parses back to the same variant and options, and resolving it again changes nothing', async () => {
    const saved = await readJson(join(runDir, 'config.json'));
    const config = parseConfig(saved, 'config.json');
    const bound = variantOfConfig(config, registryOfModules([]));
    expect(bound.options).toEqual({ beta: 0.5, klAnnealEpochs: 0, unimodalReconstruction: 'all' });
    expect(resolvedRunConfig(config, bound)).toEqual(saved);
  });

  it('fills in the fusion a variant that uses one trains with', () => {
    const config = parseConfig({
      name: 'std',
      dataset: { id: 'mnist' },
      modalities: [{ id: 'image' }],
      model: { variant: 'standard' },
    });
    const resolved = resolvedRunConfig(config, variantOfConfig(config, registryOfModules([])));
    expect(resolved.fusion).toEqual({ id: 'mean', options: {} });
    expect(resolved.model).toEqual({
      variant: 'standard',
      latentSize: 16,
      fusionInputSize: 64,
      codeActivation: 'linear',
      modalityDropout: 0,
    });
  });
});

describe('a run saved in run format 1', () => {
  it('opens and encodes exactly as the same run in the current format', async () => {
    const old = await format1Copy('format-1');
    const current = await loadRun(runDir, { backend: 'cpu' });
    const opened = await loadRun(old, { backend: 'cpu' });
    try {
      for (const seed of [1, 2]) {
        const input = digitLike(seed);
        expect(Array.from(await opened.encode(input))).toEqual(
          Array.from(await current.encode(input)),
        );
      }
    } finally {
      opened.dispose();
      current.dispose();
    }
  }, 60_000);

  it('still refuses a model key that format 1 never had, naming it', async () => {
    const old = await format1Copy('format-1-forged', (config) => {
      (config.model as Record<string, unknown>).hooks = 'x.js';
    });
    const error = await loadRun(old, { backend: 'cpu' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(/model\.hooks: variant "poe" takes no option "hooks"/);
  }, 60_000);

  it('is refused, when its config is current-format, with the ignored keys named', async () => {
    const copy = join(dir, 'current-with-old-keys');
    await cp(runDir, copy, { recursive: true });
    await rewriteRun(copy, { 'config.json': asFormat1 });
    const manifest = await readJson(join(copy, 'manifest.json'));
    manifest.formatVersion = RUN_FORMAT_VERSION;
    await writeFile(join(copy, 'manifest.json'), JSON.stringify(manifest, null, 2));
    await expect(loadRun(copy, { backend: 'cpu' })).rejects.toThrow(
      /variant "poe" takes no option "codeActivation"/,
    );
  }, 60_000);
});
