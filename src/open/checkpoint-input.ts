/**
 * What a checkpoint of a live model holds, as data (no file system): weights with stable names,
 * optimizer slots, trainer state, fitted plugin states and the resolved config. `mmae train`
 * writes it to a run directory (run-checkpoint.ts); training in a browser tab turns it into the
 * same files' bytes (api/train-in-memory.ts).
 */
import type * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/schema.js';
import { resolvedRunConfig } from '../container/variant-of-config.js';
import type { JointModel } from '../model/joint-model.js';
import type { ModalitySetup } from '../model/modality-instances.js';
import type { CheckpointInput } from '../runs/checkpoint-files.js';
import type { TrainerState } from '../train/trainer-state.js';

/** Saved in state.json: each modality's plugin id and fitted state. */
export interface PluginStates {
  readonly modalities: Record<string, { readonly plugin: string; readonly state: unknown }>;
}

export function pluginStatesOf(setups: readonly ModalitySetup[]): PluginStates {
  const modalities: PluginStates['modalities'] = {};
  for (const s of setups) modalities[s.name] = { plugin: s.pluginId, state: s.state };
  return { modalities };
}

/** The checkpoint of `model` after `state`, with the optimizer's slots as getWeights gave them. */
export function checkpointInputOf(
  model: JointModel,
  optimizerWeights: readonly { name: string; tensor: tf.Tensor }[],
  config: RunConfig,
  setups: readonly ModalitySetup[],
  state: TrainerState,
): CheckpointInput {
  return {
    weights: model.namedWeights().map((w) => ({ name: w.name, tensor: w.variable.read() })),
    topology: model.topologies() as Record<string, object>,
    optimizer: optimizerWeights,
    trainerState: state,
    pluginState: pluginStatesOf(setups),
    // The resolved config (the variant's options with their defaults), so a reader sees what trained.
    config: resolvedRunConfig(config, model.variant),
    metadata: {
      variant: config.model.variant,
      latentSize: config.model.latentSize,
      modalities: model.names,
    },
  };
}
