/**
 * `mmae train`: config → backend → plugins → dataset → fitted modalities → features → model →
 * trainer, with a checkpoint and a metrics line after every epoch. With `resume`, it continues
 * from the run's last checkpoint and ends where an uninterrupted run ends.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { selectBackend, type BackendSelection } from '../backend/index.js';
import { loadConfigFile } from '../config/load-config.js';
import type { RunConfig } from '../config/schema.js';
import { createRegistry } from '../container/create-registry.js';
import { ConfigError } from '../errors/errors.js';
import { prepareFeatures } from '../data/prepare-features.js';
import { rangeWarnings } from '../data/range-warnings.js';
import { buildJointModel } from '../model/build-joint-model.js';
import type { JointModel } from '../model/joint-model.js';
import { fitModalities, restoreModalities } from '../modality/setup-modalities.js';
import {
  createRunDir,
  loadCheckpoint,
  readMetrics,
  replaceMetrics,
  RUN_FILES,
} from '../runs/index.js';
import { createOptimizer } from '../train/optimizers.js';
import { pretrainingFor } from '../train/pretraining.js';
import { createProgressReporter, silentProgress } from '../train/progress.js';
import { fit, type FitResult } from '../train/trainer.js';
import {
  INITIAL_TRAINER_STATE,
  type EpochMetrics,
  type TrainerState,
} from '../train/trainer-state.js';
import { openDataset } from './open-dataset.js';
import {
  releaseCheckpoint,
  restoreOptimizer,
  restoreWeights,
  writeCheckpoint,
  writeEpoch,
  type PluginStates,
} from './run-checkpoint.js';

export interface TrainJobOptions {
  /** A config file, or an already-validated config with the directory it is relative to. */
  readonly config: string | { readonly config: RunConfig; readonly baseDir: string };
  /** The run directory; default runs/<name>-<timestamp>. With resume, the run to continue. */
  readonly out?: string;
  readonly epochs?: number;
  readonly backend?: RunConfig['backend'];
  readonly resume?: boolean;
  readonly quiet?: boolean;
  /** Log lines (skipped samples, resumption) go here; default stderr. */
  readonly log?: (line: string) => void;
  /** Called after each epoch's checkpoint is written. */
  readonly onEpoch?: (metrics: EpochMetrics, state: TrainerState) => void;
}

export interface TrainJobResult {
  readonly runDir: string;
  readonly backend: BackendSelection;
  readonly result: FitResult;
  readonly model: JointModel;
}

export async function trainJob(options: TrainJobOptions): Promise<TrainJobResult> {
  const log = options.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const { config, baseDir } = await resolveConfig(options);
  const backend = await selectBackend(config.backend);
  log(`backend: ${backend.name} (${backend.reason})`);
  const registry = await createRegistry({ plugins: config.plugins, baseDir });
  const dataset = await openDataset(config, registry, baseDir);

  const runDir = await openRunDir(config, options);
  // A run killed before its first checkpoint may have logged an epoch; starting over drops it.
  if (!options.resume) await trimMetrics(runDir, 0);
  const checkpoint = options.resume ? await loadCheckpoint(runDir) : undefined;
  const setups = checkpoint
    ? restoreModalities(config, registry, statesOf(checkpoint.pluginState as PluginStates))
    : await fitModalities(config, registry, dataset.train);
  const instances = Object.fromEntries(setups.map((s) => [s.name, s.instance]));
  const train = await prepareFeatures(dataset.train, instances, {
    onBadSample: config.onBadSample,
  });
  const validation = await prepareFeatures(dataset.validation, instances, {
    onBadSample: config.onBadSample,
  });
  for (const s of [...train.skipped, ...validation.skipped].slice(0, 5)) {
    log(`skipped ${s.id} (${s.modality}): ${s.message}`);
  }
  if (train.skipped.length + validation.skipped.length > 0) {
    log(`skipped ${train.skipped.length + validation.skipped.length} bad samples in all`);
  }

  for (const warning of rangeWarnings(train.table, instances)) log(warning);
  const model = buildJointModel(config, setups, registry);
  const optimizer = createOptimizer(config.training.optimizer);
  const pretrain = pretrainingFor(config.model.variant);
  let state: TrainerState = { ...INITIAL_TRAINER_STATE, phase: pretrain ? 'pretrain' : 'main' };
  if (checkpoint) {
    restoreWeights(model, checkpoint);
    await restoreOptimizer(optimizer, checkpoint);
    state = checkpoint.trainerState as TrainerState;
    releaseCheckpoint(checkpoint);
    await trimMetrics(runDir, state.epoch);
    log(`resuming ${runDir} after epoch ${state.epoch} (step ${state.step})`);
  }
  const save = (s: TrainerState) => writeCheckpoint(runDir, model, optimizer, config, setups, s);

  if (pretrain && state.phase === 'pretrain') {
    await pretrain({ model, config, train: train.table, log });
    // Saved at once, so a resumed run restores these weights and never repeats the phase.
    state = { ...state, phase: 'main' };
    await save(state);
  }
  const result = await fit({
    model,
    optimizer,
    training: config.training,
    seed: config.seed,
    train: train.table,
    validation: validation.table.size > 0 ? validation.table : undefined,
    state,
    progress: options.quiet ? silentProgress : createProgressReporter(),
    onEpochEnd: async (next, metrics) => {
      // Metrics first: a crash between the two leaves a line that resuming trims, never a
      // checkpointed epoch whose line is missing.
      await writeEpoch(runDir, metrics);
      await save(next);
      options.onEpoch?.(metrics, next);
    },
  });
  if (result.history.length === 0 && !checkpoint) await save(result.state);
  disposeOptimizer(optimizer);
  return { runDir, backend, result, model };
}

/**
 * Keeps the metrics of the epochs the checkpoint holds: drops lines of epochs a crashed process
 * logged but never checkpointed, and a line torn by the crash, before new lines are appended.
 */
async function trimMetrics(runDir: string, epochs: number): Promise<void> {
  if (!existsSync(join(runDir, RUN_FILES.metrics))) return;
  const records = await readMetrics(runDir);
  const kept = records.filter((r) => typeof r.epoch === 'number' && r.epoch < epochs);
  await replaceMetrics(runDir, kept);
}

function statesOf(states: PluginStates | undefined): Record<string, unknown> {
  const entries = Object.entries(states?.modalities ?? {});
  return Object.fromEntries(entries.map(([name, saved]) => [name, saved.state]));
}

async function resolveConfig(options: TrainJobOptions) {
  let config: RunConfig;
  let baseDir: string;
  if (typeof options.config === 'string') {
    config = await loadConfigFile(options.config);
    baseDir = dirname(resolve(options.config));
  } else {
    ({ config, baseDir } = options.config);
  }
  const training = { ...config.training, ...(options.epochs ? { epochs: options.epochs } : {}) };
  // Plugin paths are saved absolute, so the run loads them from wherever it is opened.
  const plugins = config.plugins.map((p) => (p.startsWith('.') ? resolve(baseDir, p) : p));
  return {
    config: { ...config, plugins, training, backend: options.backend ?? config.backend },
    baseDir,
  };
}

async function openRunDir(config: RunConfig, options: TrainJobOptions): Promise<string> {
  if (options.out) {
    const dir = resolve(options.out);
    if (options.resume) return dir;
    if (existsSync(join(dir, RUN_FILES.manifest))) {
      throw new ConfigError(
        `--out ${dir} already holds a run; use --resume to continue it or choose another directory`,
        'out',
      );
    }
    await mkdir(dir, { recursive: true });
    return dir;
  }
  if (options.resume) {
    throw new ConfigError('--resume needs --out RUN_DIR naming the run to continue', 'out');
  }
  return createRunDir(resolve('runs'), config.name);
}

function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
}
