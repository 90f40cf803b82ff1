/**
 * The training loop: a custom loop (not Layers `fit`) that minimises the objective's `total`
 * and knows nothing else about the model. Per epoch: seeded batch order, learning-rate schedule,
 * optional gradient clipping, a NaN/Inf guard, validation, early stopping and a checkpoint hook.
 * Every random op is seeded from (run seed, step), so a resumed run replays an uninterrupted one.
 */
import * as tf from '@tensorflow/tfjs';
import type { TrainingConfig } from '../config/schema.js';
import type { Batch, FeatureTable } from '../data/contract.js';
import { batchCount, iterateBatches, iterateBatchesAsync } from '../data/batches.js';
import { DivergenceError } from '../errors/errors.js';
import type { JointModel } from '../model/joint-model.js';
import { deriveSeed } from '../random/seeded-random.js';
import { augmentBatch } from './augment-batch.js';
import { clipByGlobalNorm } from './clip-gradients.js';
import { learningRateAt } from './learning-rate-schedule.js';
import { setLearningRate } from './optimizers.js';
import { silentProgress, type ProgressReporter } from './progress.js';
import { RunningLoss } from './running-loss.js';
import type { EpochMetrics, TrainerState } from './trainer-state.js';

export interface FitOptions {
  readonly model: JointModel;
  readonly optimizer: tf.Optimizer;
  readonly training: TrainingConfig;
  readonly seed: number;
  readonly train: FeatureTable;
  readonly validation?: FeatureTable;
  readonly state: TrainerState;
  readonly progress?: ProgressReporter;
  /** Called after every epoch with the new state; writes the checkpoint. */
  readonly onEpochEnd?: (state: TrainerState, metrics: EpochMetrics) => Promise<void>;
  /** Steps between progress reads (each read is one tiny sync). */
  readonly progressEvery?: number;
  /**
   * Awaited after every step, before the next batch: a browser tab yields to its event loop here
   * and holds a paused run (api/train-in-memory.ts). The weights are then exactly those after
   * the step, so pausing changes nothing the run computes.
   */
  readonly betweenSteps?: () => Promise<void>;
}

export interface FitResult {
  readonly state: TrainerState;
  readonly history: EpochMetrics[];
}

export async function fit(options: FitOptions): Promise<FitResult> {
  const { model, optimizer, training } = options;
  const progress = options.progress ?? silentProgress;
  const history: EpochMetrics[] = [];
  let state = options.state;
  const variables = model.trainableVariables();
  while (state.epoch < training.epochs && !state.stoppedEarly) {
    const epoch = state.epoch;
    const started = Date.now();
    const cpuStarted = cpuUsage();
    const learningRate = learningRateAt(training, epoch);
    setLearningRate(optimizer, learningRate);
    const steps = batchCount(options.train.size, training.batchSize);
    progress.start(epoch, training.epochs, steps);
    const running = new RunningLoss();
    let step = state.step;
    let done = 0;
    model.training = true;
    try {
      for await (const batch of iterateBatchesAsync(options.train, {
        batchSize: training.batchSize,
        seed: options.seed,
        epoch,
      })) {
        trainStep(options, batch, variables, running, {
          step,
          epochProgress: epoch + done / steps,
        });
        batch.dispose();
        step++;
        done++;
        if (done % (options.progressEvery ?? 50) === 0 || done === steps) {
          const total = running.read().total ?? NaN;
          if (training.nanGuard) guardFinite(total, epoch, step, training);
          progress.update(done, total);
        }
        if (options.betweenSteps) await options.betweenSteps();
      }
    } finally {
      model.training = false;
    }
    const trainMetrics = running.read();
    running.dispose();
    if (training.nanGuard) guardFinite(trainMetrics.total ?? NaN, epoch, step, training);
    const validation = options.validation
      ? evaluateLoss(model, options.validation, training, options.seed)
      : undefined;
    state = nextState(state, epoch, step, validation?.total ?? trainMetrics.total!, training);
    const metrics: EpochMetrics = {
      epoch,
      learningRate,
      seconds: (Date.now() - started) / 1000,
      cpuSeconds: cpuSecondsSince(cpuStarted),
      train: trainMetrics,
      ...(validation ? { validation } : {}),
    };
    history.push(metrics);
    progress.end(summarise(metrics));
    await options.onEpochEnd?.(state, metrics);
  }
  return { state, history };
}

function trainStep(
  options: FitOptions,
  batch: Batch,
  variables: tf.Variable[],
  running: RunningLoss,
  at: { step: number; epochProgress: number },
): void {
  const context = {
    step: at.step,
    epochProgress: at.epochProgress,
    seed: deriveSeed(options.seed, 'step', at.step),
    training: true,
  };
  const augmented = augmentBatch(options.model, batch, context.seed);
  try {
    const { value, grads } = tf.variableGrads(() => {
      const record = options.model.objective.loss(options.model, augmented.batch, context);
      running.add(record);
      return record.total;
    }, variables);
    value.dispose();
    // clipByGlobalNorm disposes `grads` when it clips, so dispose what was applied.
    const applied = clipByGlobalNorm(grads, options.training.clipNorm);
    options.optimizer.applyGradients(applied);
    tf.dispose(applied);
  } finally {
    tf.dispose(augmented.made);
  }
}

/** Mean loss terms over a table, without gradients (validation, evaluation). */
export function evaluateLoss(
  model: JointModel,
  table: FeatureTable,
  training: Pick<TrainingConfig, 'batchSize' | 'validationLimit'>,
  seed: number,
): Record<string, number> {
  const running = new RunningLoss();
  let seen = 0;
  const limit = training.validationLimit > 0 ? training.validationLimit : table.size;
  for (const batch of iterateBatchesSync(table, training.batchSize)) {
    if (seen >= limit) {
      batch.dispose();
      break;
    }
    tf.tidy(() => {
      const context = {
        step: seen,
        epochProgress: 0,
        seed: deriveSeed(seed, 'eval'),
        training: false,
      };
      running.add(model.objective.loss(model, batch, context));
    });
    seen += batch.size;
    batch.dispose();
  }
  const out = running.read();
  running.dispose();
  return out;
}

function iterateBatchesSync(table: FeatureTable, batchSize: number): Generator<Batch> {
  // Evaluation visits rows in order: shuffle off.
  return iterateBatches(table, { batchSize, shuffle: false });
}

function nextState(
  state: TrainerState,
  epoch: number,
  step: number,
  monitored: number,
  training: TrainingConfig,
): TrainerState {
  const stopping = training.earlyStopping;
  const improved =
    state.bestValidation === null || monitored < state.bestValidation - (stopping?.minDelta ?? 0);
  const badEpochs = improved ? 0 : state.badEpochs + 1;
  return {
    ...state,
    epoch: epoch + 1,
    step,
    bestValidation: improved ? monitored : state.bestValidation,
    badEpochs,
    stoppedEarly: stopping ? badEpochs >= stopping.patience : false,
  };
}

interface CpuUsage {
  readonly user: number;
  readonly system: number;
}

/** The process's CPU clock where there is one (Node); a browser tab has none: zero there. */
function cpuUsage(start?: CpuUsage): CpuUsage {
  const node = (globalThis as { process?: { cpuUsage?: (s?: CpuUsage) => CpuUsage } }).process;
  return node?.cpuUsage ? node.cpuUsage(start) : { user: 0, system: 0 };
}

function cpuSecondsSince(start: CpuUsage): number {
  const used = cpuUsage(start);
  return (used.user + used.system) / 1e6;
}

function guardFinite(value: number, epoch: number, step: number, training: TrainingConfig): void {
  if (Number.isFinite(value)) return;
  throw new DivergenceError(
    `training diverged: the loss became ${value} at epoch ${epoch + 1}, step ${step}. ` +
      `The last good checkpoint is kept. Lower training.optimizer.learningRate ` +
      `(now ${training.optimizer.learningRate}) or set training.clipNorm (e.g. 5).`,
  );
}

function summarise(m: EpochMetrics): string {
  const val = m.validation ? ` val ${m.validation.total?.toFixed(4)}` : '';
  return `loss ${m.train.total?.toFixed(4)}${val} (${m.seconds.toFixed(1)}s, lr ${m.learningRate.toExponential(2)})`;
}
