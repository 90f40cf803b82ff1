/**
 * Loads the committed checkpoint of a run: verifies every file against the manifest, decodes the
 * weights and optimizer slots, parses the JSON parts, and optionally checks the weights against
 * the model's expected names and shapes. It only ever reads bytes and parses JSON; nothing in a
 * run directory is imported, required or evaluated, and every file name found inside the run is
 * confined to the run directory.
 */
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { parseModelFile, parseOptimizerFile, type RunManifest } from './checkpoint-files.js';
import {
  exists,
  readCommittedGeneration,
  type CommittedGeneration,
} from './checkpoint-generation.js';
import {
  checkExpectedWeights,
  decodeNamedTensors,
  disposeNamedTensors,
  type ExpectedWeight,
  type NamedTensor,
  type WeightsGroup,
} from './named-tensors.js';
import { resolveInsideRun } from './run-dir.js';
import { RUN_FILES } from './run-files.js';
import { nodeRunFs, type RunFs } from './run-fs.js';
import { parseJsonBytes } from './run-json.js';

export interface LoadCheckpointOptions {
  /** The model's weights; when given, names and shapes must match exactly. */
  readonly expected?: readonly ExpectedWeight[];
  readonly fs?: RunFs;
}

/** JSON parts are `unknown`: the caller validates them with its own schemas. */
export interface LoadedCheckpoint {
  readonly runDir: string;
  /** 'previous' when the last save was interrupted and the checkpoint before it was loaded. */
  readonly source: 'current' | 'previous';
  readonly recoveredFrom?: string;
  readonly manifest: RunManifest;
  /** In saved order. The caller owns these tensors and disposes them. */
  readonly weights: NamedTensor[];
  readonly optimizer: NamedTensor[];
  readonly topology: Record<string, unknown> | null;
  readonly metadata: unknown;
  readonly trainerState: unknown;
  readonly config: unknown;
  readonly pluginState: unknown;
}

export async function loadCheckpoint(
  runDir: string,
  options: LoadCheckpointOptions = {},
): Promise<LoadedCheckpoint> {
  const fs = options.fs ?? nodeRunFs;
  const committed = await readCommittedGeneration(runDir, fs);
  if (committed === undefined) throw await noCheckpointError(runDir, fs);

  const modelPath = join(committed.dir, RUN_FILES.model);
  const model = parseModelFile(jsonOf(committed, RUN_FILES.model), modelPath);
  const optimizerPath = join(committed.dir, RUN_FILES.optimizer);
  const optimizerFile = parseOptimizerFile(jsonOf(committed, RUN_FILES.optimizer), optimizerPath);

  const weights = decodeGroups(committed, model.weightsManifest, RUN_FILES.model);
  let optimizer: NamedTensor[] = [];
  try {
    optimizer = decodeGroups(committed, optimizerFile.weightsManifest, RUN_FILES.optimizer);
    if (options.expected !== undefined) checkExpectedWeights(weights, options.expected, runDir);
  } catch (error) {
    disposeNamedTensors(weights);
    disposeNamedTensors(optimizer);
    throw error;
  }
  return {
    runDir,
    source: committed.source,
    ...(committed.recoveredFrom === undefined ? {} : { recoveredFrom: committed.recoveredFrom }),
    manifest: committed.manifest,
    weights,
    optimizer,
    topology: model.modelTopology,
    metadata: model.mmae,
    trainerState: optimizerFile.trainerState,
    config: committed.files.has(RUN_FILES.config) ? jsonOf(committed, RUN_FILES.config) : undefined,
    pluginState: committed.files.has(RUN_FILES.pluginState)
      ? jsonOf(committed, RUN_FILES.pluginState)
      : undefined,
  };
}

function jsonOf(generation: CommittedGeneration, name: string): unknown {
  const bytes = generation.files.get(name);
  if (bytes === undefined) throw new RunError(`The checkpoint does not list ${name}.`, generation.dir);
  return parseJsonBytes(bytes, join(generation.dir, name), name);
}

/** Decodes every weights group; each path must be a verified file of this checkpoint. */
function decodeGroups(
  generation: CommittedGeneration,
  groups: readonly WeightsGroup[],
  specFile: string,
): NamedTensor[] {
  const decoded: NamedTensor[] = [];
  try {
    for (const group of groups) {
      const parts = group.paths.map((path) => verifiedBytes(generation, path, specFile));
      const data = parts.length === 1 ? (parts[0] as Uint8Array) : Buffer.concat(parts);
      const file = group.paths.join(', ');
      decoded.push(...decodeNamedTensors(data, group.weights, file, specFile));
    }
  } catch (error) {
    disposeNamedTensors(decoded);
    throw error;
  }
  return decoded;
}

function verifiedBytes(generation: CommittedGeneration, path: string, specFile: string): Uint8Array {
  resolveInsideRun(generation.dir, path, `${specFile} "weightsManifest" paths`);
  const bytes = generation.files.get(path);
  if (bytes === undefined) {
    throw new RunError(
      `${specFile} in ${generation.dir} refers to '${path}', which the manifest does not list; ` +
        'refusing to read a file whose checksum is unknown.',
      join(generation.dir, specFile),
    );
  }
  return bytes;
}

async function noCheckpointError(runDir: string, fs: RunFs): Promise<RunError> {
  if (!(await exists(runDir, fs))) {
    return new RunError(`There is no run directory at ${runDir}.`, runDir);
  }
  const interrupted = await exists(join(runDir, RUN_FILES.saveInProgress), fs);
  const why = interrupted
    ? 'its first save was interrupted before it completed'
    : 'no checkpoint has been saved in it yet';
  return new RunError(
    `${runDir} holds no checkpoint (no ${RUN_FILES.manifest}): ${why}. Train the run again or ` +
      'pass another run directory.',
    runDir,
  );
}
