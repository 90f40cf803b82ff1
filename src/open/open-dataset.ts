/**
 * Loads the config's dataset through its adapter and checks, before any training, that it
 * provides every modality the config names.
 */
import type { RunConfig } from '../config/schema.js';
import type { PluginRegistry } from '../container/registry.js';
import type { RawDataset } from '../data/contract.js';
import { ConfigError } from '../errors/errors.js';
import { parsePluginOptions } from '../container/parse-plugin-options.js';

export async function openDataset(
  config: RunConfig,
  registry: PluginRegistry,
  baseDir: string,
): Promise<RawDataset> {
  const adapter = registry.dataset(config.dataset.id);
  const options = parsePluginOptions(adapter, config.dataset.options, 'dataset.options');
  const dataset = await adapter.load(options, { seed: config.seed, baseDir });
  config.modalities.forEach((m, i) => {
    const name = m.name ?? m.id;
    if (!dataset.modalities.includes(name)) {
      throw new ConfigError(
        `modalities[${i}]: the dataset "${config.dataset.id}" provides no modality "${name}"; ` +
          `it provides: ${dataset.modalities.join(', ')}. Set modalities[${i}].name to one of them.`,
        `modalities[${i}].name`,
      );
    }
  });
  return dataset;
}
