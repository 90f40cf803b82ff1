/**
 * The config's variant, looked up in the registry and bound to its options. The config schema
 * checks only the common part of `model`; the rest is the chosen variant's, checked here by its
 * own schema once the registry (built-ins and plugins) is known, as plugin options are.
 */
import {
  COMMON_MODEL_KEYS,
  DEFAULT_FUSION,
  DEFAULT_FUSION_INPUT_SIZE,
  type ModelConfig,
  type RunConfig,
} from '../config/schema.js';
import { ConfigError } from '../errors/errors.js';
import { bindVariant, type BoundVariant } from '../variants/bound-variant.js';
import type { AnyVariant } from '../variants/contract.js';
import { parsePluginOptions } from './parse-plugin-options.js';
import type { PluginRegistry } from './registry.js';

/** Past this many misplaced keys the message stops listing them. */
const LISTED = 5;

export function variantOfConfig(
  config: Pick<RunConfig, 'model' | 'fusion'>,
  registry: PluginRegistry,
): BoundVariant {
  const variant = registry.variant(config.model.variant);
  const own = Object.fromEntries(
    Object.entries(config.model).filter(([key]) => !COMMON_MODEL_KEYS.includes(key)),
  );
  const misplaced = Object.keys(own).filter((key) => !optionKeys(variant).includes(key));
  if (misplaced.length > 0) {
    throw new ConfigError(misplacedMessage(variant, misplaced, registry), `model.${misplaced[0]}`);
  }
  const options = parsePluginOptions(variant, own, 'model');
  if (!variant.usesFusion) refuseFusion(config, variant, registry);
  return bindVariant(variant, config.model, options);
}

/**
 * A `fusion:` block, or the fusion's `model.fusionInputSize`, for a variant that uses no fusion:
 * either would be silently ignored, so both are errors naming the variant.
 */
function refuseFusion(
  config: Pick<RunConfig, 'model' | 'fusion'>,
  variant: AnyVariant,
  registry: PluginRegistry,
): void {
  const users = [...registry.variants.values()].filter((v) => v.usesFusion).map((v) => v.id);
  const instead = `choose a variant that uses one (${users.join(', ')})`;
  if (config.fusion) {
    throw new ConfigError(
      `fusion: variant "${variant.id}" combines its experts itself and uses no fusion, so the ` +
        `fusion "${config.fusion.id}" would be ignored. Remove the fusion: block, or ${instead}.`,
      'fusion',
    );
  }
  if (config.model.fusionInputSize !== undefined) {
    throw new ConfigError(
      `model.fusionInputSize: variant "${variant.id}" combines its experts itself and uses no ` +
        'fusion, so the fusion input width would be ignored (its embeddings are its experts, ' +
        `2 × latentSize wide). Remove the key, or ${instead}.`,
      'model.fusionInputSize',
    );
  }
}

/**
 * The config as its model trains: `model` holds the common keys and the variant's options with
 * their defaults filled in, and `fusion` and `model.fusionInputSize` are what a variant that
 * uses a fusion gets (absent otherwise). What a run saves, so its config.json says what trained and parses to the same model.
 */
export function resolvedRunConfig(config: RunConfig, variant: BoundVariant): RunConfig {
  const { fusion, ...rest } = config;
  const common = Object.fromEntries(
    COMMON_MODEL_KEYS.filter((key) => key !== 'fusionInputSize').map((key) => [
      key,
      config.model[key],
    ]),
  );
  const own = { ...common, ...(variant.options as object), variant: variant.id };
  if (!variant.usesFusion) return { ...rest, model: own as ModelConfig };
  const fusionInputSize = config.model.fusionInputSize ?? DEFAULT_FUSION_INPUT_SIZE;
  return {
    ...rest,
    model: { ...own, fusionInputSize } as ModelConfig,
    fusion: fusion ?? { ...DEFAULT_FUSION, options: {} },
  };
}

/** The common keys of `model` a variant takes besides `variant`: fusionInputSize with a fusion. */
function commonKeysOf(variant: AnyVariant): string[] {
  return COMMON_MODEL_KEYS.filter(
    (key) => key !== 'variant' && (variant.usesFusion || key !== 'fusionInputSize'),
  );
}

function optionKeys(variant: AnyVariant): string[] {
  return Object.keys(variant.optionsSchema.shape);
}

function misplacedMessage(
  variant: AnyVariant,
  misplaced: readonly string[],
  registry: PluginRegistry,
): string {
  const lines = misplaced.slice(0, LISTED).map((key) => {
    const takers = [...registry.variants.values()].filter((v) => optionKeys(v).includes(key));
    const where = takers.length
      ? `it is an option of ${takers.map((v) => v.id).join(', ')}`
      : 'no registered variant takes it';
    return `model.${key}: variant "${variant.id}" takes no option "${key}" (${where}).`;
  });
  if (misplaced.length > LISTED) lines.push(`… and ${misplaced.length - LISTED} more keys.`);
  const own = optionKeys(variant);
  lines.push(
    `The options of ${variant.id} are ${own.length ? own.join(', ') : '(none)'}, besides the ` +
      `common ${commonKeysOf(variant).join(', ')}. Remove the key, ` +
      'or set model.variant to a variant that takes it.',
  );
  return lines.join('\n');
}
