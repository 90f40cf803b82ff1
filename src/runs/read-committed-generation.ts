/**
 * Finds the checkpoint a run directory commits to. Normally that is the run directory itself
 * (manifest.json and the files it lists). If a save was interrupted (save-in-progress.json is
 * still there) and the files no longer match the manifest, it is the complete copy that the
 * save made in `previous/` before touching anything. A mismatch with no save in progress is
 * tampering or disk damage, and is reported, never papered over.
 *
 * Readers (eval, serve, index) run beside the one writer, so a mismatch can also be a race: the
 * reader read manifest N, the writer committed N+1 and removed save-in-progress.json, and the
 * reader then read a file of N+1; or the reader fell back to `previous/` just as the next save
 * began rewriting it. Every such race changes manifest.json (each commit bumps its generation),
 * so on a mismatch the manifest is read again: if it changed, the whole read is retried (a few
 * times, with a short backoff). Only a mismatch that survives an unchanged manifest is reported.
 */
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import type { RunManifest } from './manifest.js';
import {
  readManifestOf,
  readVerifiedGeneration,
  verifyGenerationFiles,
  type VerifiedGeneration,
} from './read-verified-generation.js';
import { RUN_FILES } from './run-files.js';
import { errorCode, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

export interface CommittedGeneration extends VerifiedGeneration {
  /** 'previous' when an interrupted save forced the fallback to `previous/`. */
  readonly source: 'current' | 'previous';
  /** Why the current files were passed over, when source is 'previous'. */
  readonly recoveredFrom?: string;
}

/** Reads of a run racing its writer; each retry needs a new commit, so few are ever needed. */
const MAX_READS = 5;
const BACKOFF_MS = 5;

/** Returns undefined when the run has no checkpoint yet. */
export async function readCommittedGeneration(
  runDir: string,
  fs: RunFs,
): Promise<CommittedGeneration | undefined> {
  for (let attempt = 1; ; attempt++) {
    if (!(await exists(join(runDir, RUN_FILES.manifest), fs))) return undefined;
    // A damaged or incompatible manifest is never the result of a torn save (it is replaced
    // atomically), so its error is reported as is.
    const { manifest, bytes } = await readManifestOf(runDir, fs);
    try {
      return await readCommitted(runDir, manifest, bytes, fs);
    } catch (error) {
      if (!(error instanceof RunError) || !(await manifestChanged(runDir, bytes, fs))) throw error;
      if (attempt >= MAX_READS) {
        throw new RunError(
          `${runDir} changed during each of ${MAX_READS} reads: another process is saving ` +
            'checkpoints into it faster than they can be read. Read it again when that process ' +
            'has finished.',
          runDir,
          { cause: error },
        );
      }
      await new Promise((resolve) => setTimeout(resolve, BACKOFF_MS * 2 ** attempt));
    }
  }
}

async function readCommitted(
  runDir: string,
  manifest: RunManifest,
  bytes: Uint8Array,
  fs: RunFs,
): Promise<CommittedGeneration> {
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

/** Whether manifest.json no longer holds `seen`: a writer committed while we read. */
async function manifestChanged(runDir: string, seen: Uint8Array, fs: RunFs): Promise<boolean> {
  try {
    const now = await fs.readFile(join(runDir, RUN_FILES.manifest));
    return !Buffer.from(now).equals(Buffer.from(seen));
  } catch {
    // Unreadable now: no evidence of a newer commit, so the first error stands.
    return false;
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
