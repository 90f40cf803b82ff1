/**
 * The config's modalities as ready ModalityInstances (a ModalitySetup each): options validated by
 * each plugin's own schema, state fitted on the training split (fitModalities) or restored from a
 * run's saved states (restoreModalities). The model pipeline's setUpModalities picks one.
 */
import type { ModelKind } from '../backend/index.js';
import type { RunConfig } from '../config/schema.js';
import { parsePluginOptions } from '../container/parse-plugin-options.js';
import type { PluginRegistry } from '../container/registry.js';
import type { RawSplit, RawValue } from '../data/contract.js';
import type { AnyModalityPlugin, ModalityInstance } from '../modality/contract.js';

export interface ModalitySetup {
  /** The modality's name in the dataset, the model and the API. */
  readonly name: string;
  readonly pluginId: string;
  readonly options: unknown;
  readonly state: unknown;
  readonly instance: ModalityInstance;
  readonly weight: number;
}

function resolved(config: RunConfig, registry: PluginRegistry) {
  return config.modalities.map((m, i) => {
    const plugin: AnyModalityPlugin = registry.modality(m.id, `modalities[${i}].id`);
    const options = parsePluginOptions(plugin, m.options, `modalities[${i}].options`);
    return { name: m.name ?? m.id, plugin, options, weight: m.weight };
  });
}

/**
 * What the configured model runs, for the 'auto' backend choice (src/backend/auto-rule.ts):
 * 'conv' when any modality's plugin says its encoder or decoder convolves. Bad options are the
 * same ConfigError building the model would give.
 */
export function modelKindOf(config: RunConfig, registry: PluginRegistry): ModelKind {
  const conv = resolved(config, registry).some((m) => m.plugin.convolutional?.(m.options) === true);
  return conv ? 'conv' : 'dense';
}

/** Fits every modality's state on the raw values the training split carries. */
export async function fitModalities(
  config: RunConfig,
  registry: PluginRegistry,
  train: RawSplit,
): Promise<ModalitySetup[]> {
  const out: ModalitySetup[] = [];
  for (const { name, plugin, options, weight } of resolved(config, registry)) {
    const raws: RawValue[] = [];
    for (let i = 0; i < train.size; i++) {
      const value = train.sample(i).values[name];
      if (value) raws.push(value);
    }
    out.push(setupWith({ name, plugin, options, weight }, await plugin.fit(raws, options)));
  }
  return out;
}

/** Rebuilds instances from states saved in a run. */
export function restoreModalities(
  config: RunConfig,
  registry: PluginRegistry,
  states: Readonly<Record<string, unknown>>,
): ModalitySetup[] {
  return resolved(config, registry).map((m) => setupWith(m, states[m.name]));
}

function setupWith(m: ReturnType<typeof resolved>[number], state: unknown): ModalitySetup {
  const { name, plugin, options, weight } = m;
  return {
    name,
    pluginId: plugin.id,
    options,
    state,
    weight,
    instance: plugin.create(options, state),
  };
}
