/**
 * Opens a trained run: verified checkpoint → resolved config → plugins → modality instances from
 * their saved states → model with every weight checked by name and shape. Nothing in the run
 * directory is executed; plugins come from the registry, never from the run.
 */
import { selectBackend } from '../backend/index.js';
import { parseConfig } from '../config/load-config.js';
import type { RunConfig } from '../config/schema.js';
import { createRegistry } from '../container/create-registry.js';
import type { PluginRegistry } from '../container/registry.js';
import { buildJointModel } from '../model/build-joint-model.js';
import type { JointModel } from '../model/joint-model.js';
import { checkSavedPlugins } from './check-saved-plugins.js';
import { restoreModalities, type ModalitySetup } from '../modality/setup-modalities.js';
import { loadCheckpoint, resolveRunDir } from '../runs/index.js';
import type { TrainerState } from '../train/trainer-state.js';
import { releaseCheckpoint, restoreWeights, type PluginStates } from './run-checkpoint.js';

export interface OpenedRun {
  readonly runDir: string;
  readonly config: RunConfig;
  readonly registry: PluginRegistry;
  readonly setups: readonly ModalitySetup[];
  readonly model: JointModel;
  readonly trainerState: TrainerState;
}

export interface OpenRunOptions {
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
    const config = parseConfig(checkpoint.config, configFile);
    await checkSavedPlugins(config.plugins, runDir, configFile);
    // Packages resolve from the user's project, never from a node_modules inside the run.
    const registry = await createRegistry({ plugins: config.plugins, baseDir: process.cwd() });
    const states = (checkpoint.pluginState as PluginStates | undefined)?.modalities ?? {};
    const setups = restoreModalities(
      config,
      registry,
      Object.fromEntries(Object.entries(states).map(([name, saved]) => [name, saved.state])),
    );
    const model = buildJointModel(config, setups, registry);
    restoreWeights(model, checkpoint);
    return {
      runDir,
      config,
      registry,
      setups,
      model,
      trainerState: checkpoint.trainerState as TrainerState,
    };
  } finally {
    releaseCheckpoint(checkpoint);
  }
}
