/**
 * The portable part of mmae's public API (`mmae/portable`): what runs wherever JavaScript runs,
 * a browser tab included. It opens a run from its files' bytes, encodes, decodes and generates,
 * and it is the plugin kit a plugin's portable part builds on, the variant contract and the parts
 * the built-in variants compose included, so a user's variant goes into a browser bundle too. Nothing reachable from here
 * imports a Node built-in, sharp, wavefile, the native kernels or the backend selection; a
 * test bundles it for the browser and fails on the first such import (test/portable/).
 *
 * The package root (`mmae`) exports all of this and the Node edge besides: files, runs on disk,
 * training, backends.
 */
export { LoadedModel, type Decoded, type MultimodalInput } from './api/loaded-model.js';
export { loadRunFiles, type RunFileBytes, type LoadRunFilesOptions } from './api/load-run-files.js';
// The names of a run's files and the bound a manifest is read within, for a caller that fetches
// a run's files itself (web/fetch-run.ts reads them by URL, each within the size it is listed at).
export { RUN_FILES } from './runs/run-files.js';
// Training from a config and samples in memory, to the run directory's files as bytes (a tab's).
export {
  trainInMemory,
  type TrainInMemoryOptions,
  type TrainedInMemory,
  type StepProgress,
} from './api/train-in-memory.js';
export type { EpochMetrics, TrainerState } from './train/trainer-state.js';
export { MAX_MANIFEST_BYTES } from './runs/checkpoint-files.js';
export type { RawInput } from './data/raw-input.js';
export { parseConfig } from './config/parse-config.js';
export type { RunConfig, ModalityConfig, ModelConfig, TrainingConfig } from './config/schema.js';
export { registryOfModules } from './container/registry-of-modules.js';
export type { PluginRegistry } from './container/registry.js';
export { TOKENS } from './container/tokens.js';
export type {
  ModalityPlugin,
  ModalityInstance,
  Artefact,
  TeacherForcedDecoding,
  RawInputRule,
  DecodedForm,
  FileKind,
} from './modality/contract.js';
export type { Corruption, FeatureCorruption, RawCorruption } from './modality/corruption.js';
export type { FusionStrategy, FusionInstance, FusionBuildArgs } from './fusion/contract.js';
// The variant contract: a model variant is a record bound to TOKENS.Variant (docs/models.md).
export type {
  VariantContribution,
  VariantArgs,
  Objective,
  ObjectiveModel,
  ObjectiveShapes,
  FusionWidths,
  LossRecord,
  StepContext,
  Encoding,
  TrainingPhase,
  TrainingPhaseArgs,
  EncoderStack,
  ReportSection,
} from './variants/contract.js';
export type { Batch, ModalityBatch } from './data/contract.js';
export type {
  DatasetAdapter,
  RawDataset,
  RawSample,
  RawSplit,
  RawValue,
  SampleInstances,
  CaptionReferences,
  SampleSources,
  DecodedValue,
  DatasetLoadContext,
  FeatureSpec,
  FeaturePreparer,
} from './data/contract.js';
export * from './errors/errors.js';

// Ops with one-kernel gradients (on wasm, native kernels where the engine is applied), usable in
// a plugin's own layers.
export { dense, type DenseActivation, type DenseOptions } from './ops/dense.js';
export { bernoulliNll } from './ops/bernoulli-nll.js';
export { tokenNll } from './ops/token-nll.js';
export { sampleExpertProducts, type ExpertProducts, type SubsetSample } from './ops/poe-sample.js';

// The plugin kit: what a modality, fusion, dataset or variant plugin builds on (the package root
// adds reading files from disk). The built-in plugins and datasets import only this module or the
// package root, exactly as a user's plugin does.
// Seeded randomness: a generator, and seeds derived from a run's seed and labels.
export { SeededRandom, deriveSeed } from './random/seeded-random.js';
// Train/validation/test splits: seeded by index or by group, and splits over arrays or lazy rows.
export {
  splitIndices,
  splitByGroup,
  arraySplit,
  lazySplit,
  subsetSplit,
  type IndexSplits,
  type SplitSizes,
  type GroupSplits,
  type GroupAssignment,
} from './data/splits.js';
// Builds a tf layer's weights at once, so a fusion's `layers` hold them before the first batch.
export { buildLayerNow } from './fusion/build-layer-now.js';
// The parts the built-in variants compose, for a variant of one's own: embeddings of what each
// sample carries, unimodal Gaussian experts, one-sample ELBO terms, batched decoding of several
// codes, the β/annealing options and weight, modality dropout, and the Gaussian algebra.
export { embedAll, presenceOf, type Embedded } from './variants/shared/embed-all.js';
export { unimodalExperts } from './variants/shared/experts.js';
export { elboTerms, elboTermsOfSamples, type ElboTerms } from './variants/shared/elbo-terms.js';
export {
  reconstructEach,
  type CodeReconstruction,
  type DecodesModality,
} from './variants/shared/batched-decoding.js';
export { elboOptionsShape, klWeight, type ElboOptions } from './variants/shared/elbo-options.js';
export { dropModalities, modalityDropoutOption } from './variants/shared/modality-dropout.js';
export {
  splitGaussian,
  sample,
  klToStandardNormal,
  klBetween,
  productOfExperts,
  type Gaussian,
} from './distributions/gaussian.js';
// Options schemas: the bounds every size and count is checked against, and lists bounded first.
export { LIMITS, boundedList } from './config/limits.js';
// Turns zod issues into one readable line for a ConfigError, PluginError or RunError.
export { formatIssues } from './config/format-issues.js';
// Declares a size limit for the files a plugin or dataset reads (MMAE_MAX_<NAME>_MB), and the
// core's own: text files (captions, manifests, queries by default) and configs.
export {
  declareInputLimit,
  TEXT_FILE_LIMIT,
  CONFIG_FILE_LIMIT,
  type InputSizeLimit,
} from './data/input-limits.js';
// Decodes a text file's bytes as UTF-8, a DataError naming the file when they are not.
export { decodeInputText } from './data/input-text.js';
