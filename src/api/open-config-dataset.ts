/**
 * The dataset a config names, opened as `mmae train` opens it: the config's plugins loaded from
 * `baseDir`, its dataset options checked, the splits as the trainer reads them. For a caller that
 * ships a config's samples elsewhere, as the training page's build does (web/write-train-data.ts).
 */
import type { RunConfig } from '../config/schema.js';
import { UsageError } from '../errors/errors.js';
import type { RawDataset } from '../data/contract.js';
import { openDataset, registryOfConfig, resolveConfig } from '../open/pipeline-inputs.js';

export async function openConfigDataset(config: RunConfig, baseDir: string): Promise<RawDataset> {
  if (typeof config !== 'object' || config === null || typeof config.dataset !== 'object') {
    throw new UsageError(
      'openConfigDataset(config, baseDir): config must be a config parseConfig returned.',
    );
  }
  if (typeof baseDir !== 'string' || baseDir === '') {
    throw new UsageError('openConfigDataset(config, baseDir): baseDir must name a directory.');
  }
  const resolved = await resolveConfig({ config, baseDir });
  const registry = await registryOfConfig(resolved);
  return openDataset(resolved.config, registry, baseDir);
}
