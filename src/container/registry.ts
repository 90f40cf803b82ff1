/**
 * The plugin registry: everything contributed to the container, checked once and looked up by id.
 * The core asks here for modalities, fusions, datasets and variants; it never imports a plugin.
 */
import type { Container } from 'inversify';
import type { DatasetAdapter } from '../data/contract.js';
import { ConfigError, PluginError } from '../errors/errors.js';
import type { AnyFusionStrategy } from '../fusion/contract.js';
import type { AnyModalityPlugin } from '../modality/contract.js';
import type { AnyVariant } from '../variants/contract.js';
import { TOKENS } from './tokens.js';
import { validateContribution } from './validate-contribution.js';
import { validateVariant } from './validate-variant.js';

type Kind = 'modality' | 'fusion' | 'dataset' | 'variant';

const contracts: Record<Kind, { token: symbol; functions: readonly string[] }> = {
  modality: { token: TOKENS.ModalityPlugin, functions: ['fit', 'create'] },
  fusion: { token: TOKENS.FusionStrategy, functions: ['create'] },
  dataset: { token: TOKENS.DatasetAdapter, functions: ['load'] },
  variant: { token: TOKENS.Variant, functions: ['createObjective'] },
};

function collect<T>(container: Container, kind: Kind): Map<string, T> {
  const { token, functions } = contracts[kind];
  const items = container.isBound(token) ? container.getAll<unknown>(token) : [];
  const byId = new Map<string, T>();
  for (const item of items) {
    validateContribution(kind, item, functions);
    if (kind === 'variant') validateVariant(item);
    if (byId.has(item.id)) {
      throw new PluginError(
        `two ${kind} plugins share the id "${item.id}"; give one of them another id`,
      );
    }
    byId.set(item.id, item as T);
  }
  return byId;
}

export class PluginRegistry {
  readonly modalities: ReadonlyMap<string, AnyModalityPlugin>;
  readonly fusions: ReadonlyMap<string, AnyFusionStrategy>;
  readonly datasets: ReadonlyMap<string, DatasetAdapter>;
  readonly variants: ReadonlyMap<string, AnyVariant>;

  constructor(container: Container) {
    this.modalities = collect(container, 'modality');
    this.fusions = collect(container, 'fusion');
    this.datasets = collect(container, 'dataset');
    this.variants = collect(container, 'variant');
  }

  modality(id: string, field = 'modalities[].id'): AnyModalityPlugin {
    return lookup(this.modalities, id, 'modality plugin', field);
  }

  fusion(id: string, field = 'fusion.id'): AnyFusionStrategy {
    return lookup(this.fusions, id, 'fusion strategy', field);
  }

  dataset(id: string, field = 'dataset.id'): DatasetAdapter {
    return lookup(this.datasets, id, 'dataset', field);
  }

  variant(id: string, field = 'model.variant'): AnyVariant {
    return lookup(this.variants, id, 'variant', field);
  }
}

function lookup<T>(map: ReadonlyMap<string, T>, id: string, what: string, field: string): T {
  const found = map.get(id);
  if (found) return found;
  const known = [...map.keys()].sort().join(', ') || '(none)';
  throw new ConfigError(`${field}: unknown ${what} "${id}". Registered: ${known}.`, field);
}
