/** Run directories and checkpoints on disk. */
export { appendMetrics } from './append-metrics.js';
export { atomicWriteFile } from './atomic-write-file.js';
export type { CheckpointInput } from './checkpoint-input.js';
export { checkExpectedWeights, type ExpectedWeight } from './check-expected-weights.js';
export { checkOutDir, outDirKind, type OutDirKind } from './check-out-dir.js';
export { createRunDir, runTimestamp, type CreateRunDirOptions } from './create-run-dir.js';
export { loadCheckpoint, type LoadCheckpointOptions, type LoadedCheckpoint } from './load-checkpoint.js';
export type { RunManifest, ManifestFileEntry } from './manifest.js';
export type { ModelFile } from './model-file.js';
export { disposeNamedTensors, type NamedTensor } from './named-tensor.js';
export { parseTrainerState, type OptimizerFile } from './optimizer-file.js';
export { readJsonFile } from './read-json-file.js';
export {
  readMetrics,
  type MetricsRecord,
  type ReadMetricsOptions,
  type SkippedMetricsLine,
} from './read-metrics.js';
export { replaceMetrics } from './replace-metrics.js';
export { resolveInsideRun } from './resolve-inside-run.js';
export { resolveRunDir, type ResolveRunDirOptions } from './resolve-run-dir.js';
export { RUN_FILES, RUN_FORMAT_VERSION } from './run-files.js';
export {
  acquireRunLock,
  type AcquireRunLockOptions,
  type RunLock,
  type RunLockHolder,
} from './run-lock.js';
export { nodeRunFs, type RunFs, type RunFileStat } from './run-fs.js';
export { runtimeInfo, mmaeVersion, type RuntimeInfo } from './runtime-info.js';
export { saveCheckpoint, type SaveCheckpointOptions } from './save-checkpoint.js';
export { sha256Bytes, sha256File } from './sha256.js';
export { toJsonText } from './to-json-text.js';
