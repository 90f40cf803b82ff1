/**
 * The public API of mmae. Everything exported here is promised; nothing else is.
 */
export { loadRun, LoadedModel, type Decoded, type MultimodalInput } from './api/loaded-model.js';
export type { RawInput } from './api/raw-input.js';
// The entry points check their arguments at run time (a UsageError, not a TypeError).
export {
  trainJob,
  evalJob,
  createRegistry,
  selectBackend,
  doctorReport,
} from './api/checked-entry-points.js';
export type { TrainJobOptions, TrainJobResult } from './experiment/train-job.js';
export type { EvalJobOptions } from './experiment/eval-job.js';
export type { EvalReport } from './experiment/eval-report.js';
export { loadConfigFile, parseConfig } from './config/load-config.js';
export type {
  RunConfig,
  ModalityConfig,
  ModelConfig,
  TrainingConfig,
  Variant,
} from './config/schema.js';
export type { RegistryOptions } from './container/create-registry.js';
export type { PluginRegistry } from './container/registry.js';
export { TOKENS } from './container/tokens.js';
export type {
  ModalityPlugin,
  ModalityInstance,
  FeatureSpec,
  Artefact,
} from './modality/contract.js';
export type { FusionStrategy, FusionInstance, FusionBuildArgs } from './fusion/contract.js';
export type {
  DatasetAdapter,
  RawDataset,
  RawSample,
  RawSplit,
  RawValue,
  DecodedImage,
  DecodedAudio,
} from './data/contract.js';
export * from './errors/errors.js';

// Ops with one-kernel gradients on wasm (native kernels), usable in a plugin's own layers.
export { dense, type DenseActivation, type DenseOptions } from './ops/dense.js';
export { bernoulliNll } from './ops/bernoulli-nll.js';
export { tokenNll } from './ops/token-nll.js';
export { sampleExpertProducts, type ExpertProducts, type SubsetSample } from './ops/poe-sample.js';
