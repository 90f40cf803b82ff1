/**
 * Makes `previous/` an exact, self-contained copy of the verified current checkpoint before a
 * save starts replacing files. Files are hard-linked (no copying of weights; safe because mmae
 * never modifies a checkpoint file in place, it only renames new files over old names), with a
 * copy as fallback where a file system has no hard links. The manifest goes last, so `previous/`
 * is either complete or has no manifest.
 */
import { join } from 'node:path';
import { atomicWriteFile, tempPathFor } from './atomic-write-file.js';
import type { VerifiedGeneration } from './read-verified-generation.js';
import { RUN_FILES } from './run-files.js';
import { errorCode, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';

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
