/**
 * Which checkpoint a run directory commits to, verified: one generation's files read and checked
 * against its manifest, and the choice between the run's own files and `previous/` after a torn
 * save, retried when a reader races the writer.
 */
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import {
  checksumMismatch,
  parseManifest,
  type RunManifest,
  MAX_MANIFEST_BYTES,
} from './checkpoint-files.js';
import { resolveInsideRun } from './run-dir.js';
import { RUN_FILES } from './run-files.js';
import { errorCode, runOsError, sha256Bytes, type RunFs } from './run-fs.js';
import { parseJsonBytes } from './run-json.js';

// ── One verified generation ──────────────────────────────────────────────────────────────────
// Reads one checkpoint generation (the run directory itself, or its `previous/` folder): the
// manifest, then every file it lists, each checked against its recorded size and SHA-256. The
// verified bytes are returned so nothing is read twice and nothing unverified is ever decoded.

export interface VerifiedGeneration {
  readonly dir: string;
  readonly manifest: RunManifest;
  readonly manifestBytes: Uint8Array;
  /** File name → verified contents, for every file the manifest lists. */
  readonly files: ReadonlyMap<string, Uint8Array>;
}

/** Files every checkpoint has; the manifest must list them. */
const REQUIRED_FILES = [
  RUN_FILES.model,
  RUN_FILES.weights,
  RUN_FILES.optimizer,
  RUN_FILES.optimizerWeights,
];

export async function readManifestOf(
  dir: string,
  fs: RunFs,
): Promise<{ manifest: RunManifest; bytes: Uint8Array }> {
  const path = join(dir, RUN_FILES.manifest);
  const bytes = await readRegularFile(path, fs, MAX_MANIFEST_BYTES, (size) =>
    new RunError(
      `${path} is ${size} bytes, more than a run manifest can be (${MAX_MANIFEST_BYTES}); it was ` +
        'not written by mmae. Pass the directory that mmae created for the run.',
      path,
    ),
  );
  return { manifest: parseManifest(parseJsonBytes(bytes, path, 'The run manifest'), path), bytes };
}

export async function verifyGenerationFiles(
  dir: string,
  manifest: RunManifest,
  fs: RunFs,
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const name of REQUIRED_FILES) {
    if (!(name in manifest.files)) {
      throw new RunError(
        `The manifest in ${dir} does not list ${name}; the checkpoint is incomplete.`,
        join(dir, RUN_FILES.manifest),
      );
    }
  }
  for (const [name, entry] of Object.entries(manifest.files)) {
    const path = resolveInsideRun(dir, name, `${RUN_FILES.manifest} "files"`);
    // Never more than the manifest promises is read: a file grown past it is a mismatch at once.
    const bytes = await readRegularFile(path, fs, entry.bytes, (size) =>
      checksumMismatch(name, path, entry, `${size} bytes`),
    );
    const actual = sha256Bytes(bytes);
    if (bytes.byteLength !== entry.bytes || actual !== entry.sha256) {
      throw checksumMismatch(name, path, entry, `${bytes.byteLength} bytes with sha256 ${actual.slice(0, 12)}…`);
    }
    files.set(name, bytes);
  }
  return files;
}

export async function readVerifiedGeneration(dir: string, fs: RunFs): Promise<VerifiedGeneration> {
  const { manifest, bytes } = await readManifestOf(dir, fs);
  const files = await verifyGenerationFiles(dir, manifest, fs);
  return { dir, manifest, manifestBytes: bytes, files };
}

/**
 * Reads a file, refusing symbolic links so a run cannot point the loader at other files, and
 * refusing one larger than `maxBytes` before reading it.
 */
async function readRegularFile(
  path: string,
  fs: RunFs,
  maxBytes: number,
  tooLarge: (size: number) => RunError,
): Promise<Uint8Array> {
  try {
    const stat = await fs.lstat(path);
    if (stat.isSymbolicLink() || !stat.isFile()) {
      throw new RunError(
        `Refusing to read ${path}: it is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}. ` +
          'A run directory holds only the regular files mmae wrote.',
        path,
      );
    }
    if (stat.size > maxBytes) throw tooLarge(stat.size);
    return await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new RunError(`${path} is missing; the checkpoint is incomplete.`, path, { cause: error });
    }
    throw runOsError('Could not read', path, error);
  }
}

// ── The committed generation ─────────────────────────────────────────────────────────────────
// Finds the checkpoint a run directory commits to. Normally that is the run directory itself
// (manifest.json and the files it lists). If a save was interrupted (save-in-progress.json is
// still there) and the files no longer match the manifest, it is the complete copy that the
// save made in `previous/` before touching anything. A mismatch with no save in progress is
// tampering or disk damage, and is reported, never papered over.
//
// Readers (eval, serve, index) run beside the one writer, so a mismatch can also be a race: the
// reader read manifest N, the writer committed N+1 and removed save-in-progress.json, and the
// reader then read a file of N+1; or the reader fell back to `previous/` just as the next save
// began rewriting it. Every such race changes manifest.json (each commit bumps its generation),
// so on a mismatch the manifest is read again: if it changed, the whole read is retried (a few
// times, with a short backoff). Only a mismatch that survives an unchanged manifest is reported.

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
