/**
 * Training without a file system: a config and raw samples in memory (a browser tab's), the
 * pipeline `mmae train` runs (open/model-pipeline.ts: modalities fitted on the training split,
 * features, a fresh model within the model cap), the same trainer (train/trainer.ts), and at the
 * end the run directory's files as bytes: config.json, state.json, optimizer.bin,
 * optimizer.json, weights.bin and model.json serialised by runs/checkpoint-files.ts exactly as
 * saveCheckpoint serialises them, manifest.json listing each with its size and SHA-256, and
 * metrics.jsonl with one line per epoch. Written into a folder, they are a run that `loadRun`,
 * `mmae eval` and the browser's `openRun` open unchanged.
 *
 * The caller has chosen its tfjs backend and hands the plugins over as ContainerModules; nothing
 * here is Node's. Pausing is the caller's `betweenSteps`, awaited after every step.
 */
import type { ContainerModule } from 'inversify';
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/schema.js';
import { registryOfModules } from '../container/registry-of-modules.js';
import { variantOfConfig } from '../container/variant-of-config.js';
import type { RawDataset } from '../data/contract.js';
import type { PreparedFeatures } from '../data/prepare-features.js';
import { PluginError, UsageError } from '../errors/errors.js';
import type { PluginRegistry } from '../container/registry.js';
import type { JointModel } from '../model/joint-model.js';
import type { ModalitySetup } from '../model/modality-instances.js';
import { LoadedModel } from './loaded-model.js';
import { checkpointInputOf } from '../open/checkpoint-input.js';
import { buildModel, featuresOf, setUpModalities } from '../open/model-pipeline.js';
import {
  buildManifest,
  manifestText,
  serialiseCheckpoint,
  sha256Hex,
  type ManifestFileEntry,
} from '../runs/checkpoint-files.js';
import { RUN_FILES } from '../runs/run-files.js';
import { metricsLine } from '../runs/run-json.js';
import { createOptimizer } from '../train/optimizers.js';
import type { ProgressReporter } from '../train/progress.js';
import { fit } from '../train/trainer.js';
import {
  INITIAL_TRAINER_STATE,
  type EpochMetrics,
  type TrainerState,
} from '../train/trainer-state.js';

/** Where a step stands, with the running mean loss of the epoch so far. */
export interface StepProgress {
  readonly epoch: number;
  readonly epochs: number;
  /** Steps done in this epoch, of `steps`. */
  readonly done: number;
  readonly steps: number;
  readonly loss: number;
}

export interface TrainInMemoryOptions {
  /** A config parsed by parseConfig; its dataset names what `mmae eval` reads the test split from. */
  readonly config: RunConfig;
  /** The samples: train and validation are trained and validated on; test is not read. */
  readonly dataset: Pick<RawDataset, 'train' | 'validation'>;
  /** The ContainerModules of every plugin the config uses (web/entry.ts: the built-ins). */
  readonly modules: readonly ContainerModule[];
  /** What manifest.json names as the writer: mmae's version and the runtime (not Node's here). */
  readonly writer: { readonly mmaeVersion: string; readonly runtime: string };
  /** Every `progressEvery` steps (default 10) and at each epoch's last step. */
  readonly onStep?: (progress: StepProgress) => void;
  /**
   * After each epoch, its metrics line as metrics.jsonl gets it, and the model as it stands, to
   * encode and decode with (reconstructions); the model stays the training's: do not dispose it.
   */
  readonly onEpoch?: (
    metrics: EpochMetrics,
    state: TrainerState,
    model: LoadedModel,
  ) => void | Promise<void>;
  /** Awaited after every step: yield to the event loop, hold a paused run. */
  readonly betweenSteps?: () => Promise<void>;
  readonly progressEvery?: number;
  /** Log lines (skipped samples, the pre-training phase). */
  readonly log?: (line: string) => void;
  /** Clock for the manifest's times; tests fix it. */
  readonly now?: () => Date;
}

/** A finished training, its model still live until dispose. */
export interface TrainedInMemory {
  readonly model: JointModel;
  /** The trained model as the public API wraps it (encode, decode, translate); dispose disposes it. */
  readonly loaded: LoadedModel;
  readonly setups: readonly ModalitySetup[];
  readonly history: readonly EpochMetrics[];
  readonly state: TrainerState;
  /** The skipped bad samples of the train and validation splits, by id. */
  readonly skipped: readonly { id: string; modality: string; message: string }[];
  /** The run directory's files, name → bytes, manifest.json and metrics.jsonl included. */
  runFiles(): Promise<Map<string, Uint8Array>>;
  dispose(): void;
}

export async function trainInMemory(options: TrainInMemoryOptions): Promise<TrainedInMemory> {
  checkOptions(options);
  const { config, dataset } = options;
  const log = options.log ?? (() => {});
  const now = options.now ?? (() => new Date());
  const registry = registryOfModules(options.modules);
  requireModelPlugins(config, registry);
  variantOfConfig(config, registry);

  const setups = await setUpModalities(config, registry, { fitOn: dataset.train });
  const train = await featuresOf(dataset.train, setups, config.onBadSample);
  const validation = await featuresOf(dataset.validation, setups, config.onBadSample);
  const skipped = [train, validation].flatMap((p: PreparedFeatures) => p.skipped);
  for (const s of skipped.slice(0, 5)) log(`skipped ${s.id} (${s.modality}): ${s.message}`);
  if (train.table.size === 0) {
    throw new UsageError('trainInMemory: no training sample is usable; see the skipped samples.');
  }
  let model: JointModel | undefined;
  const optimizer = createOptimizer(config.training.optimizer);
  try {
    model = buildModel(config, setups, registry, { kind: 'fresh', configFile: 'the config' });
    const loaded = new LoadedModel({ runDir: 'the tab', registry, setups, model });
    const history: EpochMetrics[] = [];
    // What `mmae train` would have saved by now: its manifest's generation counts them.
    let saves = 0;
    let createdAt: string | undefined;
    const saved = () => {
      saves++;
      createdAt ??= now().toISOString();
    };
    let state: TrainerState = {
      ...INITIAL_TRAINER_STATE,
      phase: model.variant.trainingPhase ? 'pretrain' : 'main',
    };
    if (model.variant.trainingPhase) {
      await model.variant.trainingPhase({
        parts: model.parts,
        training: config.training,
        seed: config.seed,
        train: train.table,
        log,
      });
      state = { ...state, phase: 'main' };
      saved();
    }
    const epochs = config.training.epochs;
    let epoch = 0;
    let steps = 0;
    const progress: ProgressReporter = {
      start(e, _total, n) {
        epoch = e;
        steps = n;
      },
      update(done, loss) {
        options.onStep?.({ epoch, epochs, done, steps, loss });
      },
      end() {},
    };
    const result = await fit({
      model,
      optimizer,
      training: config.training,
      seed: config.seed,
      train: train.table,
      validation: validation.table.size > 0 ? validation.table : undefined,
      state,
      progress,
      progressEvery: options.progressEvery ?? 10,
      ...(options.betweenSteps ? { betweenSteps: options.betweenSteps } : {}),
      onEpochEnd: async (next, metrics) => {
        history.push(metrics);
        saved();
        await options.onEpoch?.(metrics, next, loaded);
      },
    });
    if (saves === 0) saved();
    const trained = model;
    return {
      model: trained,
      loaded,
      setups,
      history,
      state: result.state,
      skipped: skipped.map((s) => ({ id: s.id, modality: s.modality, message: s.message })),
      runFiles: async () => {
        const optimizerWeights = await optimizer.getWeights();
        try {
          const input = checkpointInputOf(trained, optimizerWeights, config, setups, result.state);
          const files = await serialiseCheckpoint(
            { ...input, backend: tf.getBackend() ?? 'none' },
            options.writer.mmaeVersion,
          );
          const entries: Record<string, ManifestFileEntry> = {};
          for (const [name, bytes] of files) {
            entries[name] = { sha256: await sha256Hex(bytes), bytes: bytes.byteLength };
          }
          const manifest = buildManifest(entries, {
            mmaeVersion: options.writer.mmaeVersion,
            tfjsVersion: tf.version.tfjs,
            nodeVersion: options.writer.runtime,
            backend: tf.getBackend() ?? 'none',
            createdAt: createdAt ?? now().toISOString(),
            updatedAt: now().toISOString(),
            generation: saves,
          });
          const encoder = new TextEncoder();
          files.set(RUN_FILES.manifest, encoder.encode(manifestText(manifest)));
          files.set(
            RUN_FILES.metrics,
            encoder.encode(history.map((m) => metricsLine({ ...m })).join('')),
          );
          return files;
        } finally {
          // getWeights gives the slot variables themselves plus fresh tensors (the iteration count).
          for (const { tensor } of optimizerWeights)
            if (!(tensor instanceof tf.Variable)) tensor.dispose();
        }
      },
      dispose: () => {
        optimizer.dispose();
        loaded.dispose();
      },
    };
  } catch (error) {
    optimizer.dispose();
    model?.dispose();
    throw error;
  }
}

/**
 * The plugins the model is built from must be among the modules given. The dataset plugin is not
 * needed: the samples are given, and the config's dataset only names what `mmae eval` reads.
 */
function requireModelPlugins(config: RunConfig, registry: PluginRegistry): void {
  const missing = [
    ...config.modalities
      .filter((m) => !registry.modalities.has(m.id))
      .map((m) => `the modality plugin "${m.id}"`),
    ...(config.fusion && !registry.fusions.has(config.fusion.id)
      ? [`the fusion plugin "${config.fusion.id}"`]
      : []),
  ];
  if (missing.length === 0) return;
  throw new PluginError(
    `the config uses ${missing.join(' and ')}, which none of options.modules registers; ` +
      'pass the ContainerModule that contributes it in trainInMemory({ modules }).',
  );
}

function checkOptions(options: TrainInMemoryOptions): void {
  const o = options as Partial<TrainInMemoryOptions> | undefined;
  const split = (s: unknown) =>
    typeof s === 'object' &&
    s !== null &&
    Number.isInteger((s as { size?: unknown }).size) &&
    typeof (s as { sample?: unknown }).sample === 'function';
  const problems = [
    typeof o?.config !== 'object' || o.config === null ? 'config (a parsed RunConfig)' : '',
    !split(o?.dataset?.train) || !split(o?.dataset?.validation)
      ? 'dataset.train and dataset.validation (RawSplits)'
      : '',
    !Array.isArray(o?.modules) ? 'modules (ContainerModules)' : '',
    typeof o?.writer?.mmaeVersion !== 'string' || typeof o.writer.runtime !== 'string'
      ? 'writer ({ mmaeVersion, runtime } strings)'
      : '',
  ].filter(Boolean);
  if (problems.length > 0) {
    throw new UsageError(`trainInMemory(options): missing or wrong ${problems.join(', ')}.`);
  }
}
