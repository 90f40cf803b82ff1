/**
 * Opens a trained run: verified checkpoint → resolved config → plugins → modality instances from
 * their saved states → model with every weight checked by name and shape. Nothing in the run
 * directory is executed; plugins come from the built-ins and the caller, never from the run.
 */
import { join } from 'node:path';
import type { ContainerModule } from 'inversify';
import { selectBackend } from '../backend/index.js';
import { parseConfig } from '../config/load-config.js';
import type { RunConfig } from '../config/schema.js';
import { createRegistry } from '../container/create-registry.js';
import type { PluginRegistry } from '../container/registry.js';
import { buildJointModel } from '../model/build-joint-model.js';
import type { JointModel } from '../model/joint-model.js';
import { buildWithinSavedWeights } from '../model/weight-budget.js';
import { requireRegisteredPlugins } from './require-registered-plugins.js';
import { restoreModalities, type ModalitySetup } from '../model/setup-modalities.js';
import { loadCheckpoint, parseTrainerState, resolveRunDir, RUN_FILES } from '../runs/index.js';
import type { TrainerState } from '../train/trainer-state.js';
import { releaseCheckpoint, restoreWeights } from './run-checkpoint.js';
import { savedPluginStates } from './saved-plugin-states.js';

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

export interface OpenRunOptions {
  readonly backend?: RunConfig['backend'];
  /**
   * Plugin modules the caller trusts (paths or package names, as in a config's `plugins`), for
   * runs trained with plugins beyond the built-ins. The run's own `plugins` list is never loaded.
   */
  readonly plugins?: readonly string[];
  /** Directory that relative `plugins` resolve against; default the working directory. */
  readonly baseDir?: string;
  /** ContainerModules handed over directly, as to createRegistry. */
  readonly modules?: readonly ContainerModule[];
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
    const config = parseConfig(checkpoint.config, configFile);
    // Only the caller's plugins are loaded, from the caller's directory: nothing named by the
    // run is imported, so a forged `plugins` entry cannot run code.
    const registry = await createRegistry({
      plugins: options.plugins ?? [],
      baseDir: options.baseDir ?? process.cwd(),
      modules: options.modules ?? [],
    });
    requireRegisteredPlugins(config, registry, configFile);
    const states = savedPluginStates(checkpoint.pluginState, runDir);
    const setups = restoreModalities(config, registry, states);
    // A forged config or state cannot make the model larger than the weights it ships with.
    const model = buildWithinSavedWeights(checkpoint.weights, runDir, () =>
      buildJointModel(config, setups, registry),
    );
    restoreWeights(model, checkpoint);
    return {
      runDir,
      config,
      registry,
      setups,
      model,
      trainerState: parseTrainerState(checkpoint.trainerState, join(runDir, RUN_FILES.optimizer)),
      checkpoint: {
        generation: checkpoint.manifest.generation,
        weightsSha256: checkpoint.manifest.files[RUN_FILES.weights]?.sha256 ?? '',
      },
    };
  } finally {
    releaseCheckpoint(checkpoint);
  }
}
