/**
 * The portable part of mmae's public API (`mmae/portable`): what runs wherever JavaScript runs,
 * a browser tab included. It opens a run from its files' bytes, encodes, decodes and generates,
 * and it is the plugin kit a plugin's portable part builds on. Nothing reachable from here
 * imports a Node built-in, sharp, wavefile, the native kernels or the backend selection; a
 * test bundles it for the browser and fails on the first such import (test/portable/).
 *
 * The package root (`mmae`) exports all of this and the Node edge besides: files, runs on disk,
 * training, backends.
 */
export { LoadedModel, type Decoded, type MultimodalInput } from './api/loaded-model.js';
export { loadRunFiles, type RunFileBytes, type LoadRunFilesOptions } from './api/load-run-files.js';
export type { RawInput } from './data/raw-input.js';
export { parseConfig } from './config/parse-config.js';
export type { RunConfig, ModalityConfig, ModelConfig } from './config/schema.js';
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
export type {
  DatasetAdapter,
  RawDataset,
  RawSample,
  RawSplit,
  RawValue,
  DecodedValue,
  DatasetLoadContext,
  FeatureSpec,
  FeaturePreparer,
} from './data/contract.js';
export * from './errors/errors.js';

// Ops with one-kernel gradients, usable in a plugin's own layers.
export { dense, type DenseActivation, type DenseOptions } from './ops/dense.js';
export { bernoulliNll } from './ops/bernoulli-nll.js';
export { tokenNll } from './ops/token-nll.js';

// The plugin kit's portable half (the package root adds reading files from disk).
export { SeededRandom, deriveSeed } from './random/seeded-random.js';
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
export { buildLayerNow } from './fusion/build-layer-now.js';
export { LIMITS, boundedList } from './config/limits.js';
export { formatIssues } from './config/format-issues.js';
export { decodeInputText } from './data/input-text.js';
export {
  declareInputLimit,
  TEXT_FILE_LIMIT,
  CONFIG_FILE_LIMIT,
  type InputSizeLimit,
} from './data/input-limits.js';
