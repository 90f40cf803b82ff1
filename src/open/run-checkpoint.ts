/**
 * The glue between a live model and the run directory: what a checkpoint holds for mmae
 * (weights with stable names, optimizer slots, trainer state, fitted plugin states) and how a
 * saved run is turned back into a model, checking names and shapes before any weight is set.
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/schema.js';
import type { JointModel } from '../model/joint-model.js';
import type { ModalitySetup } from '../model/modality-instances.js';
import {
  appendMetrics,
  disposeNamedTensors,
  saveCheckpoint,
  type LoadedCheckpoint,
} from '../runs/index.js';
import type { EpochMetrics, TrainerState } from '../train/trainer-state.js';
import { checkpointInputOf } from './checkpoint-input.js';

export { pluginStatesOf, type PluginStates } from './checkpoint-input.js';

export async function writeCheckpoint(
  runDir: string,
  model: JointModel,
  optimizer: tf.Optimizer,
  config: RunConfig,
  setups: readonly ModalitySetup[],
  state: TrainerState,
): Promise<void> {
  const optimizerWeights = await optimizer.getWeights();
  try {
    await save(runDir, model, optimizerWeights, config, setups, state);
  } finally {
    // getWeights returns the slot variables themselves plus fresh tensors (the iteration count).
    for (const { tensor } of optimizerWeights)
      if (!(tensor instanceof tf.Variable)) tensor.dispose();
  }
}

async function save(
  runDir: string,
  model: JointModel,
  optimizerWeights: { name: string; tensor: tf.Tensor }[],
  config: RunConfig,
  setups: readonly ModalitySetup[],
  state: TrainerState,
): Promise<void> {
  await saveCheckpoint(runDir, checkpointInputOf(model, optimizerWeights, config, setups, state));
}

export async function writeEpoch(runDir: string, metrics: EpochMetrics): Promise<void> {
  await appendMetrics(runDir, { ...metrics });
}

export { restoreWeights } from './restore-weights.js';

/** Restores optimizer slots (Adam moments, iteration count) for exact resumption. */
export async function restoreOptimizer(
  optimizer: tf.Optimizer,
  checkpoint: LoadedCheckpoint,
): Promise<void> {
  // Plain SGD keeps no state but its iteration count, and refuses setWeights.
  const stateless = optimizer.constructor === tf.SGDOptimizer;
  if (checkpoint.optimizer.length > 0 && !stateless)
    await optimizer.setWeights(checkpoint.optimizer);
}

export function releaseCheckpoint(checkpoint: LoadedCheckpoint): void {
  disposeNamedTensors(checkpoint.weights);
  disposeNamedTensors(checkpoint.optimizer);
}
