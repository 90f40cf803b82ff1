/**
 * Finds the checkpoint a run directory commits to. Normally that is the run directory itself
 * (manifest.json and the files it lists). If a save was interrupted (save-in-progress.json is
 * still there) and the files no longer match the manifest, it is the complete copy that the
 * save made in `previous/` before touching anything. A mismatch with no save in progress is
 * tampering or disk damage, and is reported, never papered over.
 */
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { readManifestOf, readVerifiedGeneration, verifyGenerationFiles, type VerifiedGeneration } from './read-verified-generation.js';
import { RUN_FILES } from './run-files.js';
import { errorCode, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

export interface CommittedGeneration extends VerifiedGeneration {
  /** 'previous' when an interrupted save forced the fallback to `previous/`. */
  readonly source: 'current' | 'previous';
  /** Why the current files were passed over, when source is 'previous'. */
  readonly recoveredFrom?: string;
}

/** Returns undefined when the run has no checkpoint yet. */
export async function readCommittedGeneration(
  runDir: string,
  fs: RunFs,
): Promise<CommittedGeneration | undefined> {
  if (!(await exists(join(runDir, RUN_FILES.manifest), fs))) return undefined;
  // A damaged or incompatible manifest is never the result of a torn save (it is replaced
  // atomically), so its error is reported as is.
  const { manifest, bytes } = await readManifestOf(runDir, fs);
  try {
    const files = await verifyGenerationFiles(runDir, manifest, fs);
    return { dir: runDir, manifest, manifestBytes: bytes, files, source: 'current' };
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    if (!(await exists(join(runDir, RUN_FILES.saveInProgress), fs))) throw error;
    const previous = await readVerifiedGeneration(join(runDir, RUN_FILES.previousDir), fs).catch(
      (previousError: unknown) => {
        const detail = previousError instanceof Error ? previousError.message : String(previousError);
        throw new RunError(
          `${error.message} A save was interrupted and the previous checkpoint cannot be used either: ${detail}`,
          error.file,
          { cause: error },
        );
      },
    );
    return { ...previous, source: 'previous', recoveredFrom: error.message };
  }
}

export async function exists(path: string, fs: RunFs): Promise<boolean> {
  try {
    await fs.lstat(path);
    return true;
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return false;
    throw runOsError('Could not check', path, error);
  }
}
