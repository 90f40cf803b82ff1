/**
 * Saves a checkpoint so that a crash (SIGKILL, power cut, full disk) at any moment leaves a run
 * whose last complete checkpoint loads and matches its checksums.
 *
 * Design: manifest.json is the commit record; the checkpoint is exactly the files it lists with
 * their SHA-256. Every file, the manifest included, is replaced by atomicWriteFile (temp file,
 * fsync, rename, fsync dir), so each file is always either old or new. A save runs:
 *   1. serialise everything in memory (bad input fails before the disk is touched);
 *   2. find the committed checkpoint and verify it (readCommittedGeneration);
 *   3. if it is the current files, mirror them into `previous/` (hard links, manifest last);
 *   4. write save-in-progress.json;
 *   5. replace config.json, state.json, optimizer.bin, optimizer.json, weights.bin, model.json;
 *   6. replace manifest.json: the commit point;
 *   7. remove save-in-progress.json.
 * Between 5 and 6 the current files may mix generations; they then fail their checksums, and
 * because save-in-progress.json exists the loader falls back to `previous/`, which step 3 made
 * complete before step 4. Invariant: whenever the current files do not match manifest.json,
 * save-in-progress.json exists and `previous/` holds a complete verified checkpoint. Without a
 * save in progress, a mismatch means tampering and is refused, by the loader and by the next
 * save alike.
 *
 * One writer per run directory: the caller holds run.lock (acquireRunLock), as trainJob does
 * from before its first write until training ends. Nothing here is safe against a second writer
 * (two saves would interleave steps 3–7), so a save refuses to start while another live process
 * holds the lock. Readers need no lock: readCommittedGeneration retries a read that a commit
 * overtook.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { RunError } from '../errors/errors.js';
import {
  buildManifest,
  manifestText,
  serialiseCheckpoint,
  type CheckpointFileSet,
  type CheckpointInput,
  type RunManifest,
} from './checkpoint-files.js';
import {
  readCommittedGeneration,
  type CommittedGeneration,
  type VerifiedGeneration,
} from './checkpoint-generation.js';
import { RUN_FILES } from './run-files.js';
import {
  atomicWriteFile,
  describeOsError,
  errorCode,
  isTempFileName,
  nodeRunFs,
  runOsError,
  sha256Bytes,
  tempPathFor,
  type RunFs,
} from './run-fs.js';
import { describeHolder, otherWriterOf } from './run-lock.js';
import { parseJsonBytes, toJsonText } from './run-json.js';
import { upgradeConfigV1 } from './saved-config.js';

export interface SaveCheckpointOptions {
  readonly fs?: RunFs;
  /** Clock for the manifest's times; tests fix it. */
  readonly now?: () => Date;
}

export async function saveCheckpoint(
  runDir: string,
  input: CheckpointInput,
  options: SaveCheckpointOptions = {},
): Promise<RunManifest> {
  const fs = options.fs ?? nodeRunFs;
  const now = (options.now ?? (() => new Date()))().toISOString();
  const runtime = runtimeInfo();
  const files = await serialiseCheckpoint(input, runtime.mmaeVersion);
  await assertRunDirExists(runDir, fs);
  await assertNoOtherWriter(runDir);
  await removeStaleTempFiles(runDir, fs);

  const committed = await readCommittedGeneration(runDir, fs);
  carryOver(files, committed, RUN_FILES.config, input.config);
  carryOver(files, committed, RUN_FILES.pluginState, input.pluginState);
  if (committed?.source === 'current') await preservePrevious(runDir, committed, fs);

  const generation = (committed?.manifest.generation ?? 0) + 1;
  const marker = { startedAt: now, pid: process.pid, generation };
  await atomicWriteFile(join(runDir, RUN_FILES.saveInProgress), JSON.stringify(marker), fs);
  for (const [name, bytes] of files) await atomicWriteFile(join(runDir, name), bytes, fs);

  const manifest: RunManifest = buildManifest(
    Object.fromEntries(
      [...files].map(([name, bytes]) => [name, { sha256: sha256Bytes(bytes), bytes: bytes.byteLength }]),
    ),
    {
      ...runtime,
      backend: input.backend ?? runtime.backend,
      createdAt: committed?.manifest.createdAt ?? now,
      updatedAt: now,
      generation,
    },
  );
  await atomicWriteFile(join(runDir, RUN_FILES.manifest), manifestText(manifest), fs);
  await removeIfPresent(join(runDir, RUN_FILES.saveInProgress), fs);
  await fs.syncDir(runDir).catch((error: unknown) => {
    throw runOsError('Could not sync', runDir, error);
  });
  return manifest;
}

/** Config and plugin state rarely change after the first save; omitting them keeps the last ones. */
function carryOver(
  files: CheckpointFileSet,
  committed: CommittedGeneration | undefined,
  name: string,
  given: unknown,
): void {
  let kept = committed?.files.get(name);
  if (given === undefined && kept !== undefined) {
    // Kept under a new manifest, a format-1 config.json is written as format 2 reads it.
    if (name === RUN_FILES.config && committed!.manifest.formatVersion === 1) {
      const path = join(committed!.dir, name);
      const config = upgradeConfigV1(parseJsonBytes(kept, path, 'The run config'), path);
      kept = new TextEncoder().encode(toJsonText(config, 'config'));
    }
    // Small JSON files go first and model.json last, as when the caller passes them.
    const rest = [...files];
    files.clear();
    files.set(name, kept);
    for (const [key, bytes] of rest) files.set(key, bytes);
  }
}

async function assertRunDirExists(runDir: string, fs: RunFs): Promise<void> {
  try {
    if ((await fs.stat(runDir)).isDirectory()) return;
  } catch (error) {
    throw new RunError(
      `Cannot save a checkpoint in ${runDir}: ${describeOsError(error)}. ` +
        'Create the run directory with createRunDir first.',
      runDir,
      { cause: error },
    );
  }
  throw new RunError(`Cannot save a checkpoint: ${runDir} is not a directory.`, runDir);
}

async function assertNoOtherWriter(runDir: string): Promise<void> {
  const holder = await otherWriterOf(runDir);
  if (holder === undefined) return;
  throw new RunError(
    `Cannot save a checkpoint in ${runDir}: ${join(runDir, RUN_FILES.lock)} is held by ` +
      `${describeHolder(holder)}, which is writing this run. Wait for it to finish or save elsewhere.`,
    join(runDir, RUN_FILES.lock),
  );
}

/** Temp files left by a process that was killed mid-write; nothing refers to them. */
async function removeStaleTempFiles(runDir: string, fs: RunFs): Promise<void> {
  const names = await fs.readdir(runDir).catch((error: unknown) => {
    throw runOsError('Could not list', runDir, error);
  });
  for (const name of names.filter(isTempFileName)) await removeIfPresent(join(runDir, name), fs);
}

// ── Keeping the previous checkpoint ──────────────────────────────────────────────────────────
// Makes `previous/` an exact, self-contained copy of the verified current checkpoint before a
// save starts replacing files. Files are hard-linked (no copying of weights; safe because mmae
// never modifies a checkpoint file in place, it only renames new files over old names), with a
// copy as fallback where a file system has no hard links. The manifest goes last, so `previous/`
// is either complete or has no manifest.

export async function preservePrevious(
  runDir: string,
  current: VerifiedGeneration,
  fs: RunFs,
): Promise<void> {
  const previousDir = join(runDir, RUN_FILES.previousDir);
  await fs.mkdir(previousDir, { recursive: true }).catch((error: unknown) => {
    throw runOsError('Could not create', previousDir, error);
  });
  await removeIfPresent(join(previousDir, RUN_FILES.manifest), fs);
  for (const [name, bytes] of current.files) {
    await linkOrCopy(join(runDir, name), join(previousDir, name), bytes, fs);
  }
  await removeStrayFiles(previousDir, new Set(current.files.keys()), fs);
  await fs.syncDir(previousDir).catch((error: unknown) => {
    throw runOsError('Could not sync', previousDir, error);
  });
  await atomicWriteFile(join(previousDir, RUN_FILES.manifest), current.manifestBytes, fs);
}

async function linkOrCopy(from: string, to: string, bytes: Uint8Array, fs: RunFs): Promise<void> {
  const temp = tempPathFor(to);
  try {
    await fs.link(from, temp);
    await fs.rename(temp, to);
  } catch (error) {
    await fs.unlink(temp).catch(() => undefined);
    if (!['EPERM', 'ENOTSUP', 'EXDEV', 'EMLINK', 'ENOSYS'].includes(errorCode(error) ?? '')) {
      throw runOsError('Could not keep a copy of', from, error, 'The checkpoint itself is unchanged.');
    }
    await atomicWriteFile(to, bytes, fs);
  }
}

/** Files a new `previous/` does not list (an older optimizer file, a stale temp) would mislead. */
async function removeStrayFiles(dir: string, keep: ReadonlySet<string>, fs: RunFs): Promise<void> {
  const names = await fs.readdir(dir).catch((error: unknown) => {
    throw runOsError('Could not list', dir, error);
  });
  for (const name of names) {
    if (!keep.has(name)) await removeIfPresent(join(dir, name), fs);
  }
}

export async function removeIfPresent(path: string, fs: RunFs): Promise<void> {
  try {
    await fs.unlink(path);
  } catch (error) {
    if (errorCode(error) !== 'ENOENT') throw runOsError('Could not remove', path, error);
  }
}

// ── Runtime versions ─────────────────────────────────────────────────────────────────────────
// Versions recorded in every manifest, so a result can be traced to the code and runtime that
// produced it. The mmae version is read from the package's own package.json (found by walking
// up from this file, which works both from src/ under tsx and from dist/ after a build).

export interface RuntimeInfo {
  readonly mmaeVersion: string;
  readonly tfjsVersion: string;
  readonly nodeVersion: string;
  readonly backend: string;
}

let cachedMmaeVersion: string | undefined;

export function mmaeVersion(): string {
  cachedMmaeVersion ??= findPackageVersion(dirname(fileURLToPath(import.meta.url)));
  return cachedMmaeVersion;
}

function findPackageVersion(start: string): string {
  for (let dir = start; ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        name?: unknown;
        version?: unknown;
      };
      if (pkg.name === 'mmae' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No readable package.json here; keep walking up.
    }
    if (dirname(dir) === dir) return 'unknown';
  }
}

export function runtimeInfo(): RuntimeInfo {
  return {
    mmaeVersion: mmaeVersion(),
    tfjsVersion: tf.version.tfjs,
    nodeVersion: process.version,
    // tfjs picks its backend lazily; before the first op there is none yet.
    backend: tf.getBackend() ?? 'none',
  };
}
