/**
 * Opens a trained run through the model pipeline (model-pipeline.ts): verified checkpoint → the
 * run's config → the caller's plugins → modality instances from their saved states → model with
 * every weight checked by name and shape. Nothing in the run directory is executed; plugins come
 * from the built-ins and the caller, never from the run.
 */
import { join } from 'node:path';
import { selectBackend } from '../backend/index.js';
import type { RunConfig } from '../config/schema.js';
import type { PluginRegistry } from '../container/registry.js';
import type { JointModel } from '../model/joint-model.js';
import type { ModalitySetup } from '../model/modality-instances.js';
import {
  loadCheckpoint,
  parseSavedConfig,
  parseTrainerState,
  resolveRunDir,
  RUN_FILES,
} from '../runs/index.js';
import type { TrainerState } from '../train/trainer-state.js';
import { buildModel, setUpModalities } from './model-pipeline.js';
import { registryOfRun, type TrustedPlugins } from './pipeline-inputs.js';
import { releaseCheckpoint } from './run-checkpoint.js';

export interface OpenedRun {
  readonly runDir: string;
  readonly config: RunConfig;
  readonly registry: PluginRegistry;
  readonly setups: readonly ModalitySetup[];
  readonly model: JointModel;
  readonly trainerState: TrainerState;
  /** Which checkpoint was opened: indexes and other derived files record it to detect staleness. */
  readonly checkpoint: CheckpointIdentity;
}

export interface CheckpointIdentity {
  /** The manifest's generation, +1 at every save. */
  readonly generation: number;
  /** SHA-256 of weights.bin as the manifest lists it. */
  readonly weightsSha256: string;
}

/**
 * `plugins` are modules the caller trusts, for runs trained with plugins beyond the built-ins;
 * the run's own `plugins` list is never loaded.
 */
export interface OpenRunOptions extends TrustedPlugins {
  readonly backend?: RunConfig['backend'];
}

export async function openRun(
  pathOrName: string,
  options: OpenRunOptions = {},
): Promise<OpenedRun> {
  const runDir = await resolveRunDir(pathOrName);
  await selectBackend(options.backend ?? 'auto');
  const checkpoint = await loadCheckpoint(runDir);
  try {
    const configFile = `${runDir}/config.json`;
    // A run of an older format has its config upgraded to what it trained with; never a user's.
    const version = checkpoint.manifest.formatVersion;
    const config = parseSavedConfig(checkpoint.config, version, configFile);
    // Parsed before the build, so a malformed optimizer.json leaves no model behind.
    const trainerState = parseTrainerState(
      checkpoint.trainerState,
      join(runDir, RUN_FILES.optimizer),
    );
    const registry = await registryOfRun(config, configFile, options);
    const setups = await setUpModalities(config, registry, { restoreFrom: checkpoint });
    const model = buildModel(config, setups, registry, { kind: 'saved', checkpoint });
    return {
      runDir,
      config,
      registry,
      setups,
      model,
      trainerState,
      checkpoint: {
        generation: checkpoint.manifest.generation,
        weightsSha256: checkpoint.manifest.files[RUN_FILES.weights]?.sha256 ?? '',
      },
    };
  } finally {
    releaseCheckpoint(checkpoint);
  }
}
