/**
 * The names and format versions of a run directory's files, in one place so the writer and the
 * reader cannot drift apart.
 */

/**
 * Bumped when a reader of the previous version could misread the new layout.
 * - 2 (#15): config.json's `model` holds the common keys and exactly the variant's own options,
 *   resolved, and `fusion` appears only for a variant that uses one.
 * - 1: `model` held every key of the one flat model schema, defaulted whichever the variant used,
 *   and `fusion` appeared on every run. Still read: saved-config.ts upgrades its config.json.
 */
export const RUN_FORMAT_VERSION = 2;

/** The oldest run format this mmae still opens (upgrading what changed on the way). */
export const OLDEST_RUN_FORMAT_VERSION = 1;

export function isReadableRunFormat(version: number): boolean {
  return version >= OLDEST_RUN_FORMAT_VERSION && version <= RUN_FORMAT_VERSION;
}

export const RUN_FILES = {
  config: 'config.json',
  model: 'model.json',
  weights: 'weights.bin',
  optimizer: 'optimizer.json',
  optimizerWeights: 'optimizer.bin',
  pluginState: 'state.json',
  metrics: 'metrics.jsonl',
  manifest: 'manifest.json',
  /** Present from the moment a save starts changing files until its manifest is committed. */
  saveInProgress: 'save-in-progress.json',
  /** Subdirectory holding the previous complete checkpoint, the fallback for a torn save. */
  previousDir: 'previous',
  /** Held by the one process writing the run (run-lock.ts); never part of a checkpoint. */
  lock: 'run.lock',
} as const;

/** Folders that commands other than training write into a run (eval reports, search indexes). */
export const RUN_DERIVED_DIRS = ['eval', 'index'] as const;

export const MODEL_FILE_FORMAT = 'mmae-weights';
export const OPTIMIZER_FILE_FORMAT = 'mmae-optimizer';
export const MANIFEST_FORMAT = 'mmae-run';
export const LOCK_FILE_FORMAT = 'mmae-lock';
