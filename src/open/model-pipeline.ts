/**
 * The one way from a config, or a saved run, to a ready model:
 *
 *   config → registry → dataset → modalities (fitted or restored) → features → model
 *
 * Each stage is a function here, and each caller composes them, choosing only where a stage's
 * input comes from:
 *   - `mmae train` (experiment/train-job.ts): the user's config and its plugins; modalities fitted
 *     on the training split and a fresh model within MAX_MODEL_VALUES, or, resuming, both restored
 *     from the checkpoint;
 *   - `mmae doctor --config` (experiment/config-kernels.ts): the same on a few training samples;
 *   - opening a run (open-run.ts, for eval, loadRun and the cross-modal commands): the run's
 *     config.json and only the caller's plugins; modalities restored from state.json; a model no
 *     larger than the weights the checkpoint holds, with those weights set.
 * The safety bounds (the model cap, the saved-weights budget, plugins never named by a run) sit in
 * these stages, so no caller can skip one by writing the pipeline again.
 */
import { dirname, join, resolve } from 'node:path';
import type { ContainerModule } from 'inversify';
import { loadConfigFile } from '../config/load-config.js';
import type { RunConfig } from '../config/schema.js';
import { createRegistry } from '../container/create-registry.js';
import type { PluginRegistry } from '../container/registry.js';
import type { RawSplit } from '../data/contract.js';
import {
  prepareFeatures,
  type PrepareOptions,
  type PreparedFeatures,
} from '../data/prepare-features.js';
import { buildJointModel } from '../model/build-joint-model.js';
import type { JointModel } from '../model/joint-model.js';
import {
  fitModalities,
  restoreModalities,
  type ModalitySetup,
} from '../model/setup-modalities.js';
import { buildWithinModelCap, buildWithinSavedWeights } from '../model/weight-budget.js';
import { RUN_FILES, type LoadedCheckpoint } from '../runs/index.js';
import { requireRegisteredPlugins } from './require-registered-plugins.js';
import { restoreWeights } from './run-checkpoint.js';
import { savedPluginStates } from './saved-plugin-states.js';

export { openDataset } from './open-dataset.js';

// ── 1. config ──────────────────────────────────────────────────────────────────────────────────

/** A config file, or an already-validated config with the directory it is relative to. */
export type ConfigSource = string | { readonly config: RunConfig; readonly baseDir: string };

/** What a command line sets over the config's own values. */
export interface ConfigOverrides {
  readonly epochs?: number;
  readonly backend?: RunConfig['backend'];
}

export interface ResolvedConfig {
  readonly config: RunConfig;
  /** What the config's relative paths (plugins, dataset files) resolve against. */
  readonly baseDir: string;
  /** The config as messages name it: its file, or "the config" for one given as a value. */
  readonly configFile: string;
}

export async function resolveConfig(
  source: ConfigSource,
  overrides: ConfigOverrides = {},
): Promise<ResolvedConfig> {
  const { config, baseDir } =
    typeof source === 'string'
      ? { config: await loadConfigFile(source), baseDir: dirname(resolve(source)) }
      : source;
  const training = { ...config.training, ...(overrides.epochs ? { epochs: overrides.epochs } : {}) };
  // Plugin paths are saved absolute, so the run loads them from wherever it is opened.
  const plugins = config.plugins.map((p) => (p.startsWith('.') ? resolve(baseDir, p) : p));
  return {
    config: { ...config, plugins, training, backend: overrides.backend ?? config.backend },
    baseDir,
    configFile: typeof source === 'string' ? source : 'the config',
  };
}

// ── 2. registry ────────────────────────────────────────────────────────────────────────────────

/** The built-ins and the plugin modules a user's config names. */
export function registryOfConfig({ config, baseDir }: ResolvedConfig): Promise<PluginRegistry> {
  return createRegistry({ plugins: config.plugins, baseDir });
}

/** Plugins the caller trusts to open a run with; the run's own `plugins` list is never loaded. */
export interface TrustedPlugins {
  /** Paths or package names, as in a config's `plugins`. */
  readonly plugins?: readonly string[];
  /** Directory that relative `plugins` resolve against; default the working directory. */
  readonly baseDir?: string;
  /** ContainerModules handed over directly, as to createRegistry. */
  readonly modules?: readonly ContainerModule[];
}

/**
 * The built-ins and the caller's plugins, loaded from the caller's directory: nothing named by the
 * run is imported, so a forged `plugins` entry cannot run code. Every plugin id the run's config
 * uses must be registered by them, or the error says how to register it.
 */
export async function registryOfRun(
  config: RunConfig,
  configFile: string,
  trusted: TrustedPlugins,
): Promise<PluginRegistry> {
  const registry = await createRegistry({
    plugins: trusted.plugins ?? [],
    baseDir: trusted.baseDir ?? process.cwd(),
    modules: trusted.modules ?? [],
  });
  requireRegisteredPlugins(config, registry, configFile);
  return registry;
}

// ── 3. dataset: openDataset (open-dataset.ts), re-exported above ───────────────────────────────

// ── 4. modalities ──────────────────────────────────────────────────────────────────────────────

/** Where each modality's state comes from: fitted on raw samples, or a checkpoint's state.json. */
export type ModalitySource =
  | { readonly fitOn: RawSplit }
  | { readonly restoreFrom: LoadedCheckpoint };

export async function setUpModalities(
  config: RunConfig,
  registry: PluginRegistry,
  source: ModalitySource,
): Promise<ModalitySetup[]> {
  if ('fitOn' in source) return fitModalities(config, registry, source.fitOn);
  const { pluginState, runDir } = source.restoreFrom;
  // state.json is data from the run: its envelope is checked before a plugin sees its state.
  const states = savedPluginStates(pluginState, join(runDir, RUN_FILES.pluginState));
  return restoreModalities(config, registry, states);
}

// ── 5. features ────────────────────────────────────────────────────────────────────────────────

/** A split's samples as the model's input, each modality prepared by its instance. */
export function featuresOf(
  split: RawSplit,
  setups: readonly ModalitySetup[],
  onBadSample: PrepareOptions['onBadSample'],
): Promise<PreparedFeatures> {
  const instances = Object.fromEntries(setups.map((s) => [s.name, s.instance]));
  return prepareFeatures(split, instances, { onBadSample });
}

// ── 6. model ───────────────────────────────────────────────────────────────────────────────────

/** Where the model's weights come from, and so which bound its build stays within. */
export type ModelWeights =
  /** New weights for a user's config, refused past MAX_MODEL_VALUES; `configFile` names it. */
  | { readonly kind: 'fresh'; readonly configFile: string }
  /** Training resumed: the user's config, bounded as a fresh one, then the checkpoint's weights. */
  | { readonly kind: 'resumed'; readonly configFile: string; readonly checkpoint: LoadedCheckpoint }
  /**
   * An opened run: a forged config.json or state.json cannot make the model larger than the
   * weights its checkpoint holds, and then every weight is set from it.
   */
  | { readonly kind: 'saved'; readonly checkpoint: LoadedCheckpoint };

/**
 * Builds the joint model within the bound `weights` sets, and sets saved weights after checking
 * each one's name and shape. The checkpoint stays the caller's to release.
 */
export function buildModel(
  config: RunConfig,
  setups: readonly ModalitySetup[],
  registry: PluginRegistry,
  weights: ModelWeights,
): JointModel {
  const build = () => buildJointModel({ config, setups, registry });
  if (weights.kind === 'fresh') return buildWithinModelCap(weights.configFile, build);
  const { checkpoint } = weights;
  const model =
    weights.kind === 'resumed'
      ? buildWithinModelCap(weights.configFile, build)
      : buildWithinSavedWeights(checkpoint.weights, checkpoint.runDir, build);
  try {
    restoreWeights(model, checkpoint);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}
