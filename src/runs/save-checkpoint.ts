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
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { atomicWriteFile, isTempFileName } from './atomic-write-file.js';
import type { CheckpointInput } from './checkpoint-input.js';
import type { RunManifest } from './manifest.js';
import { preservePrevious, removeIfPresent } from './preserve-previous.js';
import { readCommittedGeneration, type CommittedGeneration } from './read-committed-generation.js';
import { MANIFEST_FORMAT, RUN_FILES, RUN_FORMAT_VERSION } from './run-files.js';
import { nodeRunFs, type RunFs } from './run-fs.js';
import { describeOsError, runOsError } from './os-error.js';
import { describeHolder, otherWriterOf } from './run-lock.js';
import { runtimeInfo } from './runtime-info.js';
import { serialiseCheckpoint, type CheckpointFileSet } from './serialise-checkpoint.js';
import { sha256Bytes } from './sha256.js';

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

  const manifest: RunManifest = {
    format: MANIFEST_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    ...runtime,
    backend: input.backend ?? runtime.backend,
    createdAt: committed?.manifest.createdAt ?? now,
    updatedAt: now,
    generation,
    files: Object.fromEntries(
      [...files].map(([name, bytes]) => [name, { sha256: sha256Bytes(bytes), bytes: bytes.byteLength }]),
    ),
  };
  await atomicWriteFile(join(runDir, RUN_FILES.manifest), `${JSON.stringify(manifest, null, 2)}\n`, fs);
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
  const kept = committed?.files.get(name);
  if (given === undefined && kept !== undefined) {
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
