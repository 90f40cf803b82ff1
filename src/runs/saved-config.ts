/**
 * A run's config.json, read back as the config it trained with. A run of an older format is
 * upgraded first, and only here: a user's config file gets no such leniency, so an option given
 * to a variant that ignores it stays an error there.
 *
 * Format 1 wrote every key of the one flat model schema, defaulted, and a `fusion` on every run,
 * whichever the variant used; format 2 checks `model` against the variant's own options and
 * refuses a fusion where none is used. Upgrading 1 drops exactly the keys format 1's code ignored
 * for the run's variant, so the upgraded config builds and trains the same model. Pure: no file
 * system, so a run opened from bytes reads its config the same way.
 */
import { parseConfig } from '../config/parse-config.js';
import type { RunConfig } from '../config/schema.js';
import { RunError } from '../errors/errors.js';

/** Format 1's model keys, with no use in the variants named (from its objectives and phases). */
const ELBO_ONLY = ['beta', 'klAnnealEpochs', 'importanceSamples', 'jmvaeAlpha', 'unimodalReconstruction'];
const DETERMINISTIC_ONLY = ['codeActivation', 'sparsity', 'stacked'];
/** The width of a fusion's inputs, which format 1 wrote for every variant. */
const FUSION_ONLY = ['fusionInputSize'];
const IGNORED_BY_VARIANT_IN_V1: Readonly<Record<string, readonly string[]>> = {
  standard: [...ELBO_ONLY, 'stacked'],
  sparse: [...ELBO_ONLY, 'stacked'],
  stacked: ELBO_ONLY,
  variational: [...DETERMINISTIC_ONLY, 'importanceSamples', 'jmvaeAlpha', 'unimodalReconstruction'],
  poe: [...FUSION_ONLY, ...DETERMINISTIC_ONLY, 'modalityDropout', 'importanceSamples', 'jmvaeAlpha'],
  moe: [...FUSION_ONLY, ...DETERMINISTIC_ONLY, 'modalityDropout', 'jmvaeAlpha', 'unimodalReconstruction'],
  mopoe: [
    ...FUSION_ONLY,
    ...DETERMINISTIC_ONLY,
    'modalityDropout',
    'importanceSamples',
    'jmvaeAlpha',
    'unimodalReconstruction',
  ],
  jmvae: [...DETERMINISTIC_ONLY, 'modalityDropout', 'importanceSamples', 'unimodalReconstruction'],
};

/** Format 1's variants that combined their experts themselves: their `fusion` was never used. */
const FUSIONLESS_IN_V1 = new Set(['poe', 'moe', 'mopoe']);

/** The config.json of a checkpoint in `formatVersion`, checked as the current schema checks it. */
export function parseSavedConfig(raw: unknown, formatVersion: number, file: string): RunConfig {
  return parseConfig(formatVersion === 1 ? upgradeConfigV1(raw, file) : raw, file);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Format 1 → 2. What is not as format 1 wrote it (not an object, an unknown variant, a key format
 * 1 never had) is left as it is, for the schema to refuse by name.
 */
export function upgradeConfigV1(raw: unknown, file: string): unknown {
  if (!isRecord(raw) || !isRecord(raw.model ?? {})) return raw;
  const model: Record<string, unknown> = { ...((raw.model as object | undefined) ?? {}) };
  const saved = model.variant ?? 'standard';
  if (typeof saved !== 'string' || !Object.hasOwn(IGNORED_BY_VARIANT_IN_V1, saved)) return raw;
  let variant = saved;
  // Format 1 applied a `sparsity` penalty on any deterministic variant and made `sparse` without
  // one a plain autoencoder; format 2 gives the penalty to sparse alone, always on.
  if (variant === 'standard' && model.sparsity !== undefined) variant = 'sparse';
  if (variant === 'sparse' && model.sparsity === undefined) {
    model.sparsity = { penalty: 'l1', lambda: 0 };
  }
  if (variant === 'stacked' && model.sparsity !== undefined) {
    throw new RunError(
      `${file}: this run (format 1) trained a stacked autoencoder with a sparsity penalty ` +
        '(model.sparsity), which this mmae no longer builds (only variant "sparse" takes one). ' +
        'Open it with the mmae version that wrote it, or train it again.',
      file,
    );
  }
  for (const key of IGNORED_BY_VARIANT_IN_V1[variant]!) delete model[key];
  const upgraded: Record<string, unknown> = { ...raw, model: { ...model, variant } };
  if (FUSIONLESS_IN_V1.has(variant)) delete upgraded.fusion;
  return upgraded;
}
