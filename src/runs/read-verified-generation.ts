/**
 * Reads one checkpoint generation (the run directory itself, or its `previous/` folder): the
 * manifest, then every file it lists, each checked against its recorded size and SHA-256. The
 * verified bytes are returned so nothing is read twice and nothing unverified is ever decoded.
 */
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { parseManifest, type RunManifest } from './manifest.js';
import { parseJsonBytes } from './read-json-file.js';
import { resolveInsideRun } from './resolve-inside-run.js';
import { RUN_FILES } from './run-files.js';
import { errorCode, type RunFs } from './run-fs.js';
import { runOsError } from './os-error.js';
import { sha256Bytes } from './sha256.js';

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
  const bytes = await readRegularFile(path, fs);
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
    const bytes = await readRegularFile(path, fs);
    const actual = sha256Bytes(bytes);
    if (bytes.byteLength !== entry.bytes || actual !== entry.sha256) {
      throw new RunError(
        `checksum mismatch in ${name}; the file was modified after the run wrote it ` +
          `(${path}: expected ${entry.bytes} bytes with sha256 ${entry.sha256.slice(0, 12)}…, found ` +
          `${bytes.byteLength} bytes with sha256 ${actual.slice(0, 12)}…). Restore the file from a ` +
          'copy of the run or train again; mmae will not load weights it cannot vouch for.',
        path,
      );
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

/** Reads a file, refusing symbolic links so a run cannot point the loader at other files. */
async function readRegularFile(path: string, fs: RunFs): Promise<Uint8Array> {
  try {
    const stat = await fs.lstat(path);
    if (stat.isSymbolicLink() || !stat.isFile()) {
      throw new RunError(
        `Refusing to read ${path}: it is ${stat.isSymbolicLink() ? 'a symbolic link' : 'not a regular file'}. ` +
          'A run directory holds only the regular files mmae wrote.',
        path,
      );
    }
    return await fs.readFile(path);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') {
      throw new RunError(`${path} is missing; the checkpoint is incomplete.`, path, { cause: error });
    }
    throw runOsError('Could not read', path, error);
  }
}
