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
import { ConfigError, RunError } from '../errors/errors.js';
import { prepareFeatures } from '../data/prepare-features.js';
import { rangeWarnings } from '../data/range-warnings.js';
import { buildJointModel } from '../model/build-joint-model.js';
import { buildWithinModelCap } from '../model/weight-budget.js';
import type { JointModel } from '../model/joint-model.js';
import { fitModalities, restoreModalities } from '../model/setup-modalities.js';
import {
  acquireRunLock,
  checkOutDir,
  createRunDir,
  loadCheckpoint,
  parseTrainerState,
  readMetrics,
  replaceMetrics,
  RUN_FILES,
  type LoadedCheckpoint,
  type RunLock,
} from '../runs/index.js';
import { runOsError } from '../runs/os-error.js';
import { createOptimizer } from '../train/optimizers.js';
import { pretrainingFor } from '../train/pretraining.js';
import { createProgressReporter, silentProgress } from '../train/progress.js';
import { fit, type FitResult } from '../train/trainer.js';
import {
  INITIAL_TRAINER_STATE,
  type EpochMetrics,
  type TrainerState,
} from '../train/trainer-state.js';
import { openDataset } from '../open/open-dataset.js';
import {
  releaseCheckpoint,
  restoreOptimizer,
  restoreWeights,
  writeCheckpoint,
  writeEpoch,
  type PluginStates,
} from '../open/run-checkpoint.js';

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

  // Held from before anything in the run is written until training ends, however it ends.
  const { runDir, lock } = await openRunDir(config, options, log);
  try {
    return await trainInRunDir(runDir, { options, log, config, backend, registry, dataset });
  } finally {
    await lock.release();
  }
}

interface TrainContext {
  readonly options: TrainJobOptions;
  readonly log: (line: string) => void;
  readonly config: RunConfig;
  readonly backend: BackendSelection;
  readonly registry: Awaited<ReturnType<typeof createRegistry>>;
  readonly dataset: Awaited<ReturnType<typeof openDataset>>;
}

async function trainInRunDir(runDir: string, job: TrainContext): Promise<TrainJobResult> {
  const { options, log, config, backend, registry, dataset } = job;
  // A run killed before its first checkpoint may have logged an epoch; starting over drops it.
  if (!options.resume) await trimMetrics(runDir, 0, log);
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
  // Sizes each within their bounds can still multiply out to a model no machine holds.
  const model = buildWithinModelCap(configLabelOf(options), () =>
    buildJointModel(config, setups, registry),
  );
  const optimizer = createOptimizer(config.training.optimizer);
  const pretrain = pretrainingFor(config.model.variant);
  let state: TrainerState = { ...INITIAL_TRAINER_STATE, phase: pretrain ? 'pretrain' : 'main' };
  if (checkpoint) {
    restoreWeights(model, checkpoint);
    await restoreOptimizer(optimizer, checkpoint);
    state = parseTrainerState(checkpoint.trainerState, optimizerFileOf(checkpoint));
    releaseCheckpoint(checkpoint);
    await trimMetrics(runDir, state.epoch, log);
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
async function trimMetrics(
  runDir: string,
  epochs: number,
  log: (line: string) => void,
): Promise<void> {
  if (!existsSync(join(runDir, RUN_FILES.metrics))) return;
  const records = await readMetrics(runDir, {
    onSkipped: (skipped) =>
      log(`warning: ${skipped.message} metrics.jsonl is rewritten without it.`),
  });
  const kept = records.filter((r) => typeof r.epoch === 'number' && r.epoch < epochs);
  await replaceMetrics(runDir, kept);
}

function configLabelOf(options: TrainJobOptions): string {
  return typeof options.config === 'string' ? options.config : 'the config';
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

/**
 * The run directory, locked for this process: a new one under runs/, or --out, which must be new,
 * empty, a run (with --resume) or what mmae leaves of a run killed before its first checkpoint,
 * never a folder of the user's files. The folder is checked before the lock is created in it (so
 * nothing is written into a user's folder) and again under the lock (a writer that held it may
 * have committed a run meanwhile).
 */
async function openRunDir(
  config: RunConfig,
  options: TrainJobOptions,
  log: (line: string) => void,
): Promise<{ runDir: string; lock: RunLock }> {
  const resume = options.resume === true;
  if (resume && !options.out) {
    throw new ConfigError('--resume needs --out RUN_DIR naming the run to continue', 'out');
  }
  let dir: string;
  if (options.out) {
    dir = resolve(options.out);
    if ((await checkOutDir(dir, resume)).kind === 'missing') {
      if (resume) {
        throw new RunError(
          `There is no run directory at ${dir}; give --out the run to continue.`,
          dir,
        );
      }
      await mkdir(dir, { recursive: true }).catch((error: unknown) => {
        throw runOsError('Could not create the run directory', dir, error);
      });
    }
  } else {
    dir = await createRunDir(resolve('runs'), config.name);
  }
  const command = resume ? 'mmae train --resume' : 'mmae train';
  const lock = await acquireRunLock(dir, { command, log });
  try {
    if (options.out) await checkOutDir(dir, resume);
  } catch (error) {
    await lock.release();
    throw error;
  }
  return { runDir: dir, lock };
}

/** optimizer.json of the generation loaded: the run's own, or previous/'s after a torn save. */
function optimizerFileOf(checkpoint: LoadedCheckpoint): string {
  const dir =
    checkpoint.source === 'previous'
      ? join(checkpoint.runDir, RUN_FILES.previousDir)
      : checkpoint.runDir;
  return join(dir, RUN_FILES.optimizer);
}

function disposeOptimizer(optimizer: tf.Optimizer): void {
  optimizer.dispose();
}
