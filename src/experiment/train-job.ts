/**
 * `mmae train`: the model pipeline's stages (open/pipeline-inputs.ts, open/model-pipeline.ts:
 * config → plugins → dataset → fitted modalities → features → model) on the backend the config
 * selects, then the trainer, with a checkpoint and a metrics line after every epoch. With
 * `resume`, modalities and weights come from the run's last checkpoint instead, and the run ends
 * where an uninterrupted run ends.
 */
import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { describeNativeThreads, selectBackend, type BackendSelection } from '../backend/index.js';
import type { RunConfig } from '../config/schema.js';
import type { PluginRegistry } from '../container/registry.js';
import type { RawDataset } from '../data/contract.js';
import type { PreparedFeatures } from '../data/prepare-features.js';
import { ConfigError, RunError } from '../errors/errors.js';
import { rangeWarnings } from '../data/range-warnings.js';
import type { JointModel } from '../model/joint-model.js';
import { modelKindOf, type ModalitySetup } from '../model/modality-instances.js';
import {
  acquireRunLock,
  checkOutDir,
  createRunDir,
  loadCheckpoint,
  parseTrainerState,
  readMetrics,
  replaceMetrics,
  RUN_FILES,
  runOsError,
  type LoadedCheckpoint,
  type RunLock,
} from '../runs/index.js';
import { createOptimizer } from '../train/optimizers.js';
import { createProgressReporter, silentProgress } from '../train/progress.js';
import { fit, type FitResult } from '../train/trainer.js';
import {
  INITIAL_TRAINER_STATE,
  type EpochMetrics,
  type TrainerState,
} from '../train/trainer-state.js';
import { buildModel, featuresOf, setUpModalities } from '../open/model-pipeline.js';
import {
  openDataset,
  registryOfConfig,
  resolveConfig,
  type ConfigSource,
} from '../open/pipeline-inputs.js';
import {
  releaseCheckpoint,
  restoreOptimizer,
  writeCheckpoint,
  writeEpoch,
} from '../open/run-checkpoint.js';

export interface TrainJobOptions {
  /** A config file, or an already-validated config with the directory it is relative to. */
  readonly config: ConfigSource;
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
  const resolved = await resolveConfig(options.config, options);
  const { config, baseDir, configFile } = resolved;
  const registry = await registryOfConfig(resolved);
  // Under 'auto', what the model runs (dense or conv) decides tfjs-node against wasm.
  const backend = await selectBackend(config.backend, {
    threads: config.training.threads,
    model: modelKindOf(config, registry),
  });
  const threads = describeNativeThreads();
  const native = threads === undefined ? '' : `; native kernels on ${threads}`;
  log(`backend: ${backend.name} (${backend.reason})${native}`);
  const dataset = await openDataset(config, registry, baseDir);

  // Held from before anything in the run is written until training ends, however it ends.
  const { runDir, lock } = await openRunDir(config, options, log);
  try {
    const job = { options, log, config, configFile, backend, registry, dataset };
    return await trainInRunDir(runDir, job);
  } finally {
    await lock.release();
  }
}

interface TrainContext {
  readonly options: TrainJobOptions;
  readonly log: (line: string) => void;
  readonly config: RunConfig;
  /** The config as messages name it. */
  readonly configFile: string;
  readonly backend: BackendSelection;
  readonly registry: PluginRegistry;
  readonly dataset: RawDataset;
}

async function trainInRunDir(runDir: string, job: TrainContext): Promise<TrainJobResult> {
  const { options, log, config, configFile, backend, registry, dataset } = job;
  // A run killed before its first checkpoint may have logged an epoch; starting over drops it.
  if (!options.resume) await trimMetrics(runDir, 0, log);
  const checkpoint = options.resume ? await loadCheckpoint(runDir) : undefined;
  const setups = await setUpModalities(
    config,
    registry,
    checkpoint ? { restoreFrom: checkpoint } : { fitOn: dataset.train },
  );
  const train = await featuresOf(dataset.train, setups, config.onBadSample);
  const validation = await featuresOf(dataset.validation, setups, config.onBadSample);
  reportSkipped([train, validation], log);
  for (const warning of rangeWarnings(train.table, instancesOf(setups))) log(warning);
  // Fresh, within the model cap: sizes each within their bounds can still multiply out to a model
  // no machine holds. Resumed, the same cap, then the checkpoint's weights.
  const model = buildModel(
    config,
    setups,
    registry,
    checkpoint ? { kind: 'resumed', configFile, checkpoint } : { kind: 'fresh', configFile },
  );
  const optimizer = createOptimizer(config.training.optimizer);
  const pretrain = model.variant.trainingPhase;
  let state: TrainerState = { ...INITIAL_TRAINER_STATE, phase: pretrain ? 'pretrain' : 'main' };
  if (checkpoint) {
    await restoreOptimizer(optimizer, checkpoint);
    state = parseTrainerState(checkpoint.trainerState, optimizerFileOf(checkpoint));
    releaseCheckpoint(checkpoint);
    await trimMetrics(runDir, state.epoch, log);
    log(`resuming ${runDir} after epoch ${state.epoch} (step ${state.step})`);
  }
  const save = (s: TrainerState) => writeCheckpoint(runDir, model, optimizer, config, setups, s);

  if (pretrain && state.phase === 'pretrain') {
    await pretrain({
      parts: model.parts,
      training: config.training,
      seed: config.seed,
      train: train.table,
      log,
    });
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

function reportSkipped(prepared: readonly PreparedFeatures[], log: (line: string) => void): void {
  const skipped = prepared.flatMap((p) => p.skipped);
  for (const s of skipped.slice(0, 5)) log(`skipped ${s.id} (${s.modality}): ${s.message}`);
  if (skipped.length > 0) log(`skipped ${skipped.length} bad samples in all`);
}

function instancesOf(setups: readonly ModalitySetup[]) {
  return Object.fromEntries(setups.map((s) => [s.name, s.instance]));
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
