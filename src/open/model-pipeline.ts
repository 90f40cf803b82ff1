/**
 * The one way from a config, or a saved run, to a ready model:
 *
 *   config → registry → dataset → modalities (fitted or restored) → features → model
 *
 * Each stage is a function, and each caller composes them, choosing only where a stage's input
 * comes from:
 *   - `mmae train` (experiment/train-job.ts): the user's config and its plugins; modalities fitted
 *     on the training split and a fresh model within MAX_MODEL_VALUES, or, resuming, both restored
 *     from the checkpoint;
 *   - `mmae doctor --config` (experiment/config-kernels.ts): the same on a few training samples;
 *   - opening a run (open-run.ts, for eval, loadRun and the cross-modal commands): the run's
 *     config.json and only the caller's plugins; modalities restored from state.json; a model no
 *     larger than the weights the checkpoint holds, with those weights set.
 * The safety bounds (the model cap, the saved-weights budget, plugins never named by a run) sit in
 * the stages, so no caller can skip one by writing the pipeline again.
 *
 * The first stages read files and load plugins by path, so they are the Node edge
 * (pipeline-inputs.ts); the last stages, here, import no Node built-in, so a run opened from
 * bytes in a browser builds its model the same way.
 */
import type { RunConfig } from '../config/schema.js';
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
} from '../model/modality-instances.js';
import { buildWithinModelCap, buildWithinSavedWeights } from '../model/weight-budget.js';
import type { NamedTensor } from '../runs/named-tensors.js';
import { RUN_FILES } from '../runs/run-files.js';
import { restoreWeights } from './restore-weights.js';
import { savedPluginStates } from './saved-plugin-states.js';

// Stages 1–3 (config, registry, dataset): pipeline-inputs.ts.

// ── 4. modalities ──────────────────────────────────────────────────────────────────────────────

/**
 * A checkpoint as the last stages read it: its state.json and weights already parsed and decoded,
 * from a run directory (loadCheckpoint) or from bytes in memory. `runDir` names it in messages.
 */
export interface SavedModel {
  readonly runDir: string;
  /** state.json as parsed JSON, not yet checked; undefined when the run has none. */
  readonly pluginState?: unknown;
  readonly weights: readonly NamedTensor[];
}

/** Where each modality's state comes from: fitted on raw samples, or a checkpoint's state.json. */
export type ModalitySource =
  | { readonly fitOn: RawSplit }
  | { readonly restoreFrom: Pick<SavedModel, 'runDir' | 'pluginState'> };

export async function setUpModalities(
  config: RunConfig,
  registry: PluginRegistry,
  source: ModalitySource,
): Promise<ModalitySetup[]> {
  if ('fitOn' in source) return fitModalities(config, registry, source.fitOn);
  const { pluginState, runDir } = source.restoreFrom;
  // state.json is data from the run: its envelope is checked before a plugin sees its state.
  const states = savedPluginStates(pluginState, `${runDir}/${RUN_FILES.pluginState}`);
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
  | { readonly kind: 'resumed'; readonly configFile: string; readonly checkpoint: SavedModel }
  /**
   * An opened run: a forged config.json or state.json cannot make the model larger than the
   * weights its checkpoint holds, and then every weight is set from it.
   */
  | { readonly kind: 'saved'; readonly checkpoint: SavedModel };

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
