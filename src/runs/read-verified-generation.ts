/**
 * Reads one checkpoint generation (the run directory itself, or its `previous/` folder): the
 * manifest, then every file it lists, each checked against its recorded size and SHA-256. The
 * verified bytes are returned so nothing is read twice and nothing unverified is ever decoded.
 */
import { join } from 'node:path';
import { RunError } from '../errors/errors.js';
import { parseManifest, type ManifestFileEntry, type RunManifest } from './manifest.js';
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

/** Far above any manifest mmae writes (a few hundred bytes per file it lists). */
const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

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
      mismatch(name, path, entry, `${size} bytes`),
    );
    const actual = sha256Bytes(bytes);
    if (bytes.byteLength !== entry.bytes || actual !== entry.sha256) {
      throw mismatch(name, path, entry, `${bytes.byteLength} bytes with sha256 ${actual.slice(0, 12)}…`);
    }
    files.set(name, bytes);
  }
  return files;
}

function mismatch(name: string, path: string, entry: ManifestFileEntry, found: string): RunError {
  return new RunError(
    `checksum mismatch in ${name}; the file was modified after the run wrote it ` +
      `(${path}: expected ${entry.bytes} bytes with sha256 ${entry.sha256.slice(0, 12)}…, found ` +
      `${found}). Restore the file from a copy of the run or train again; mmae will not load ` +
      'weights it cannot vouch for.',
    path,
  );
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
