/**
 * A run saved in format 1 (one flat model schema, every key defaulted, a fusion on every run) has
 * its config.json upgraded on open, dropping exactly what its variant ignored; a user's config
 * file is never upgraded.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/parse-config.js';
import { registryOfModules } from '../../src/container/registry-of-modules.js';
import { variantOfConfig } from '../../src/container/variant-of-config.js';
import { ConfigError, RunError } from '../../src/errors/errors.js';
import { disposeNamedTensors, loadCheckpoint, saveCheckpoint } from '../../src/runs/index.js';
import { parseSavedConfig, upgradeConfigV1 } from '../../src/runs/saved-config.js';
import { BUILTIN_VARIANTS } from '../../src/variants/builtin-variants.js';
import { disposeInput, makeInput, makeTempDir } from './fixtures.js';

const registry = registryOfModules([]);

/**
 * Format 1's model keys (git show 5f5bafc:src/config/schema.ts), each given a value other than
 * its default, so an option that reached its variant is told from one defaulted again.
 */
const V1_MODEL = {
  latentSize: 8,
  fusionInputSize: 32,
  beta: 0.5,
  klAnnealEpochs: 4,
  codeActivation: 'tanh',
  stacked: { pretrainEpochs: 1, finetune: false },
  modalityDropout: 0.25,
  importanceSamples: 3,
  jmvaeAlpha: 2,
  unimodalReconstruction: 'own',
} as const;

/** What each variant read of format 1's model keys (its objective, phase and KL weight). */
const USED_IN_V1: Record<string, readonly string[]> = {
  standard: ['codeActivation', 'modalityDropout'],
  sparse: ['codeActivation', 'modalityDropout', 'sparsity'],
  stacked: ['codeActivation', 'modalityDropout', 'stacked'],
  variational: ['beta', 'klAnnealEpochs', 'modalityDropout'],
  poe: ['beta', 'klAnnealEpochs', 'unimodalReconstruction'],
  moe: ['beta', 'klAnnealEpochs', 'importanceSamples'],
  mopoe: ['beta', 'klAnnealEpochs'],
  jmvae: ['beta', 'klAnnealEpochs', 'jmvaeAlpha'],
};

function v1Config(variant: string, model: Record<string, unknown> = {}) {
  return {
    name: 'old-run',
    seed: 42,
    backend: 'auto',
    plugins: [],
    dataset: { id: 'mnist', options: {} },
    onBadSample: 'fail',
    modalities: [{ id: 'image', options: {}, weight: 1 }],
    fusion: { id: 'mean', options: {} },
    model: { variant, ...V1_MODEL, ...model },
  };
}

describe('a format-1 run config', () => {
  it.each(BUILTIN_VARIANTS.map((v) => v.id))(
    '%s keeps every option it trained with and loses only the ones it ignored',
    (id) => {
      const sparsity = id === 'sparse' ? { sparsity: { penalty: 'l1', lambda: 0.01 } } : {};
      const config = parseSavedConfig(v1Config(id, sparsity), 1, 'run/config.json');
      const bound = variantOfConfig(config, registry);
      const old = { ...V1_MODEL, ...sparsity } as Record<string, unknown>;
      expect(bound.options).toEqual(
        Object.fromEntries(USED_IN_V1[id]!.map((key) => [key, old[key]])),
      );
      expect(config.model.latentSize).toBe(8);
      // The fusion's input width and the fusion stay exactly where a fusion is used.
      expect(config.model.fusionInputSize).toBe(bound.usesFusion ? 32 : undefined);
      expect(config.fusion === undefined).toBe(!bound.usesFusion);
    },
  );

  it('is a sparse run where format 1 gave a standard one a sparsity penalty', () => {
    const sparsity = { penalty: 'kl', rho: 0.1, lambda: 0.5 };
    const config = parseSavedConfig(v1Config('standard', { sparsity }), 1, 'run/config.json');
    expect(config.model.variant).toBe('sparse');
    expect(variantOfConfig(config, registry).options).toMatchObject({ sparsity });
  });

  it("keeps a format-1 sparse run without a penalty penalty-free (λ 0), as it trained", () => {
    const config = parseSavedConfig(v1Config('sparse'), 1, 'run/config.json');
    expect(variantOfConfig(config, registry).options).toMatchObject({
      sparsity: { penalty: 'l1', lambda: 0 },
    });
  });

  it('refuses a stacked run with a sparsity penalty, which no variant builds now', () => {
    const raw = v1Config('stacked', { sparsity: { penalty: 'l1', lambda: 0.1 } });
    expect(() => upgradeConfigV1(raw, 'run/config.json')).toThrow(RunError);
    expect(() => upgradeConfigV1(raw, 'run/config.json')).toThrow(
      /run\/config\.json: .*stacked autoencoder with a sparsity penalty \(model\.sparsity\)/,
    );
  });

  it('drops the fusionInputSize format 1 wrote for poe, moe and mopoe, which a config may not give them', () => {
    for (const id of ['poe', 'moe', 'mopoe']) {
      const raw = v1Config(id);
      expect(raw.model.fusionInputSize).toBe(32);
      const config = parseSavedConfig(raw, 1, 'run/config.json');
      expect(config.model).not.toHaveProperty('fusionInputSize');
      expect(() => variantOfConfig(config, registry)).not.toThrow();
      // The current format is not upgraded: there the key is the error it is in a config file.
      const { fusion: _fusion, ...current } = { ...raw, model: { variant: id, fusionInputSize: 32 } };
      const asCurrent = parseSavedConfig(current, 2, 'run/config.json');
      expect(() => variantOfConfig(asCurrent, registry)).toThrow(
        new RegExp(`model\\.fusionInputSize: variant "${id}" .*uses no fusion`),
      );
    }
  });

  it('still refuses a key format 1 never had, naming it', () => {
    const withUnknown = parseSavedConfig(v1Config('poe', { dropout: 0.1 }), 1, 'run/config.json');
    const bind = () => variantOfConfig(withUnknown, registry);
    expect(bind).toThrow(ConfigError);
    expect(bind).toThrow(/model\.dropout: variant "poe" takes no option "dropout"/);
    const topLevel = { ...v1Config('standard'), hooks: ['x.js'] };
    expect(() => parseSavedConfig(topLevel, 1, 'run/config.json')).toThrow(ConfigError);
    expect(() => parseSavedConfig(topLevel, 1, 'run/config.json')).toThrow(/hooks/);
  });

  it('is not upgraded when read as a current-format run or as a user config', () => {
    const current = parseSavedConfig(v1Config('poe'), 2, 'run/config.json');
    expect(() => variantOfConfig(current, registry)).toThrow(/variant "poe" takes no option/);
    const user = parseConfig(v1Config('standard'), 'my.yaml');
    expect(() => variantOfConfig(user, registry)).toThrow(/model\.beta: variant "standard"/);
  });
});

describe('a save on top of a format-1 checkpoint', () => {
  it('writes the config.json it keeps in the current format', async () => {
    const { dir, cleanup } = await makeTempDir();
    const first = { ...makeInput(1), config: v1Config('poe') };
    const second = { ...makeInput(2), config: undefined };
    try {
      await saveCheckpoint(dir, first);
      const manifestFile = join(dir, 'manifest.json');
      const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as Record<string, unknown>;
      await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 1 }));
      await saveCheckpoint(dir, second);
      const loaded = await loadCheckpoint(dir);
      disposeNamedTensors([...loaded.weights, ...loaded.optimizer]);
      expect(loaded.manifest.formatVersion).toBe(2);
      const config = parseSavedConfig(loaded.config, 2, 'config.json');
      expect(variantOfConfig(config, registry).options).toEqual({
        beta: 0.5,
        klAnnealEpochs: 4,
        unimodalReconstruction: 'own',
      });
    } finally {
      disposeInput(first);
      disposeInput(second);
      await cleanup();
    }
  });
});
