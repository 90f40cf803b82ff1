/**
 * Run directories and checkpoints on disk, in a handful of modules with one job each. Of these,
 * run-files, run-json, named-tensors and checkpoint-files use no file system (a run's bytes can
 * be checked and decoded anywhere); the rest are the Node edge.
 *   run-files.ts             the names and formats of a run's files
 *   run-dir.ts               names confined to the run, finding and making a run directory
 *   check-out-dir.ts         whether training may write into a folder
 *   run-lock.ts              run.lock: one writer per run
 *   run-fs.ts                file-system facade, OS errors, atomic writes, SHA-256, JSON files
 *   run-json.ts              strict JSON in and out of bytes, schema errors naming the field
 *   named-tensors.ts         tensors ↔ bytes with a tfjs weights manifest, expected weights
 *   checkpoint-files.ts      model.json, optimizer.json, manifest.json and serialisation
 *   checkpoint-generation.ts the committed, verified generation (current or previous/)
 *   save-checkpoint.ts       the crash-safe save, and the versions its manifest records
 *   load-checkpoint.ts       the verified load
 *   metrics-log.ts           metrics.jsonl: append, replace, read
 */
export {
  parseTrainerState,
  type CheckpointInput,
  type ManifestFileEntry,
  type ModelFile,
  type OptimizerFile,
  type RunManifest,
} from './checkpoint-files.js';
export { checkOutDir, outDirKind, type OutDirKind } from './check-out-dir.js';
export {
  loadCheckpoint,
  type LoadCheckpointOptions,
  type LoadedCheckpoint,
} from './load-checkpoint.js';
export {
  appendMetrics,
  readMetrics,
  replaceMetrics,
  type MetricsRecord,
  type ReadMetricsOptions,
  type SkippedMetricsLine,
} from './metrics-log.js';
export {
  checkExpectedWeights,
  disposeNamedTensors,
  type ExpectedWeight,
  type NamedTensor,
} from './named-tensors.js';
export {
  createRunDir,
  resolveInsideRun,
  resolveRunDir,
  runTimestamp,
  type CreateRunDirOptions,
  type ResolveRunDirOptions,
} from './run-dir.js';
export { OLDEST_RUN_FORMAT_VERSION, RUN_FILES, RUN_FORMAT_VERSION } from './run-files.js';
export { parseSavedConfig } from './saved-config.js';
export {
  atomicWriteFile,
  isTempFileName,
  nodeRunFs,
  readJsonFile,
  runOsError,
  sha256Bytes,
  sha256File,
  type RunFileStat,
  type RunFs,
} from './run-fs.js';
export { toJsonText } from './run-json.js';
export {
  acquireRunLock,
  type AcquireRunLockOptions,
  type RunLock,
  type RunLockHolder,
} from './run-lock.js';
export {
  mmaeVersion,
  runtimeInfo,
  saveCheckpoint,
  type RuntimeInfo,
  type SaveCheckpointOptions,
} from './save-checkpoint.js';
