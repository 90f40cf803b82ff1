/**
 * The config's `model` block is the common part plus the chosen variant's own options, checked by
 * that variant's schema once the registry is known; a fusion is given only where one is used.
 */
import { readdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config/load-config.js';
import { registryOfModules } from '../../src/container/registry-of-modules.js';
import type { PluginRegistry } from '../../src/container/registry.js';
import { resolvedRunConfig, variantOfConfig } from '../../src/container/variant-of-config.js';
import { ConfigError } from '../../src/errors/errors.js';

let registry: PluginRegistry;
beforeAll(() => {
  registry = registryOfModules([]);
});

function configWith(model: Record<string, unknown>, fusion?: { id: string }) {
  return parseConfig({
    name: 'variant-options',
    dataset: { id: 'mnist' },
    modalities: [{ id: 'image' }],
    model,
    ...(fusion ? { fusion } : {}),
  });
}

function errorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return error as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('variant options', () => {
  it('registers the eight built-in variants in every registry', () => {
    expect([...registry.variants.keys()].sort()).toEqual(
      ['jmvae', 'moe', 'mopoe', 'poe', 'sparse', 'stacked', 'standard', 'variational'].sort(),
    );
  });

  it("parses the variant's own options with its defaults", () => {
    const moe = variantOfConfig(configWith({ variant: 'moe', importanceSamples: 3 }), registry);
    expect(moe.options).toEqual({ beta: 1, klAnnealEpochs: 0, importanceSamples: 3 });
    const stacked = variantOfConfig(configWith({ variant: 'stacked' }), registry);
    expect(stacked.options).toMatchObject({ stacked: { pretrainEpochs: 2, finetune: true } });
    expect(stacked.trainingPhase).toBeTypeOf('function');
    expect(variantOfConfig(configWith({}), registry).id).toBe('standard');
  });

  it('refuses an option of another variant, naming the variant, the option and who takes it', () => {
    const error = errorOf(() =>
      variantOfConfig(configWith({ variant: 'poe', jmvaeAlpha: 2 }), registry),
    );
    expect(error.field).toBe('model.jmvaeAlpha');
    expect(error.message).toMatch(/variant "poe" takes no option "jmvaeAlpha"/);
    expect(error.message).toMatch(/it is an option of jmvae/);
    expect(error.message).toMatch(
      /The options of poe are beta, klAnnealEpochs, unimodalReconstruction/,
    );
    const beta = errorOf(() => variantOfConfig(configWith({ beta: 2 }), registry));
    expect(beta.message).toMatch(/option of variational, poe, moe, mopoe, jmvae/);
    const typo = errorOf(() => variantOfConfig(configWith({ latentSzie: 4 }), registry));
    expect(typo.message).toMatch(/no registered variant takes it/);
  });

  it("refuses a bad value by the variant's schema, naming the field", () => {
    const error = errorOf(() =>
      variantOfConfig(configWith({ variant: 'moe', importanceSamples: 0 }), registry),
    );
    expect(error.message).toMatch(/model: invalid options for "moe"/);
    expect(error.message).toMatch(/importanceSamples/);
  });

  it('refuses a fusion block for a variant that uses none, and defaults one where used', () => {
    const error = errorOf(() =>
      variantOfConfig(configWith({ variant: 'mopoe' }, { id: 'concat' }), registry),
    );
    expect(error.field).toBe('fusion');
    expect(error.message).toMatch(/variant "mopoe" .* uses no fusion.*"concat"/s);
    expect(variantOfConfig(configWith({ variant: 'mopoe' }), registry).usesFusion).toBe(false);
    expect(
      variantOfConfig(configWith({ variant: 'jmvae' }, { id: 'concat' }), registry).usesFusion,
    ).toBe(true);
  });

  it('refuses fusionInputSize for a variant that uses no fusion, and resolves it where one is used', () => {
    for (const variant of ['poe', 'moe', 'mopoe']) {
      const error = errorOf(() =>
        variantOfConfig(configWith({ variant, fusionInputSize: 32 }), registry),
      );
      expect(error.field).toBe('model.fusionInputSize');
      expect(error.message).toMatch(
        new RegExp(`variant "${variant}" combines its experts itself and uses no fusion`),
      );
      expect(error.message).toMatch(
        /variant that uses one \(standard, sparse, stacked, variational, jmvae\)/,
      );
      const bound = variantOfConfig(configWith({ variant }), registry);
      expect(resolvedRunConfig(configWith({ variant }), bound).model).not.toHaveProperty(
        'fusionInputSize',
      );
    }
    for (const variant of ['standard', 'jmvae']) {
      const given = configWith({ variant, fusionInputSize: 32 });
      const resolved = resolvedRunConfig(given, variantOfConfig(given, registry));
      expect(resolved.model.fusionInputSize).toBe(32);
      const absent = configWith({ variant });
      expect(
        resolvedRunConfig(absent, variantOfConfig(absent, registry)).model.fusionInputSize,
      ).toBe(64);
    }
  });

  it('names an unknown variant and lists the registered ones', () => {
    const error = errorOf(() => variantOfConfig(configWith({ variant: 'gan' }), registry));
    expect(error.field).toBe('model.variant');
    expect(error.message).toMatch(/unknown variant "gan". Registered: jmvae, moe, mopoe/);
  });

  it('accepts every shipped config unchanged', async () => {
    const dir = resolve('configs');
    for (const file of (await readdir(dir)).filter((f) => f.endsWith('.yaml'))) {
      const config = await loadConfigFile(join(dir, file));
      expect(variantOfConfig(config, registry).id, file).toBe(config.model.variant);
    }
  });
});
