/**
 * Turns a CheckpointInput into the exact bytes of each file, before anything touches the disk,
 * so a value that cannot be saved (Infinity, a class instance, a duplicate weight name) fails
 * with the run directory untouched.
 */
import type { CheckpointInput } from './checkpoint-input.js';
import { encodeNamedTensors } from './encode-named-tensors.js';
import { buildModelFile } from './model-file.js';
import { buildOptimizerFile } from './optimizer-file.js';
import { RUN_FILES } from './run-files.js';
import { assertJsonData, toJsonText } from './to-json-text.js';

/** File name → bytes, in the order they are written. */
export type CheckpointFileSet = Map<string, Uint8Array>;

export async function serialiseCheckpoint(
  input: CheckpointInput,
  mmaeVersion: string,
): Promise<CheckpointFileSet> {
  assertJsonData(input.trainerState, 'trainerState');
  assertJsonData(input.topology ?? null, 'topology');
  assertJsonData(input.metadata ?? {}, 'metadata');
  const weights = await encodeNamedTensors(input.weights, 'the model weights');
  const optimizer = await encodeNamedTensors(input.optimizer ?? [], 'the optimizer state');
  const model = buildModelFile(weights.specs, input.topology ?? null, input.metadata ?? {}, mmaeVersion);
  const optimizerFile = buildOptimizerFile(optimizer.specs, input.trainerState);
  const text = (value: unknown, what: string) => Buffer.from(toJsonText(value, what), 'utf8');

  const files: CheckpointFileSet = new Map();
  if (input.config !== undefined) files.set(RUN_FILES.config, text(input.config, 'config'));
  if (input.pluginState !== undefined) {
    files.set(RUN_FILES.pluginState, text(input.pluginState, 'pluginState'));
  }
  files.set(RUN_FILES.optimizerWeights, optimizer.data);
  files.set(RUN_FILES.optimizer, text(optimizerFile, 'optimizer.json'));
  files.set(RUN_FILES.weights, weights.data);
  files.set(RUN_FILES.model, text(model, 'model.json'));
  return files;
}
