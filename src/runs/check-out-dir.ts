/**
 * What a training `--out` directory holds, so training never overwrites a user's files. A folder
 * is trained into only if it is new, empty, or holds nothing but what mmae itself writes:
 *   - a run: manifest.json (or previous/manifest.json) of format mmae-run; needs --resume;
 *   - an unfinished run (killed before its first checkpoint): metrics.jsonl of epoch records,
 *     save-in-progress.json, temp files, run.lock, eval/ and index/; the checkpoint's own files
 *     (config.json, weights.bin, …) only beside a save-in-progress.json that mmae wrote, since
 *     those names are common and a user's config.json must never be replaced.
 * Anything else is a user's folder and is refused before anything in it is touched.
 */
import { join } from 'node:path';
import { ConfigError } from '../errors/errors.js';
import { MAX_METRICS_BYTES } from './metrics-log.js';
import { MANIFEST_FORMAT, RUN_DERIVED_DIRS, RUN_FILES } from './run-files.js';
import { errorCode, isTempFileName, nodeRunFs, runOsError, type RunFs } from './run-fs.js';

export type OutDirKind =
  | { readonly kind: 'missing' }
  | { readonly kind: 'empty' }
  | { readonly kind: 'run' }
  | { readonly kind: 'unfinished-run' }
  | { readonly kind: 'not-a-run'; readonly names: readonly string[] }
  | { readonly kind: 'file' };

const CHECKPOINT_FILES: ReadonlySet<string> = new Set([
  RUN_FILES.config,
  RUN_FILES.model,
  RUN_FILES.weights,
  RUN_FILES.optimizer,
  RUN_FILES.optimizerWeights,
  RUN_FILES.pluginState,
]);
const ALWAYS_OURS: ReadonlySet<string> = new Set([
  RUN_FILES.metrics,
  RUN_FILES.saveInProgress,
  RUN_FILES.lock,
  ...RUN_DERIVED_DIRS,
]);
/** Bytes of metrics.jsonl looked at; mmae's records start `{"epoch":`. */
const METRICS_PEEK = 64;

export async function outDirKind(dir: string, fs: RunFs = nodeRunFs): Promise<OutDirKind> {
  let names: string[];
  try {
    if (!(await fs.stat(dir)).isDirectory()) return { kind: 'file' };
    names = await fs.readdir(dir);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return { kind: 'missing' };
    throw runOsError('Could not look into', dir, error);
  }
  if (names.length === 0) return { kind: 'empty' };
  if (
    (await isRunManifest(join(dir, RUN_FILES.manifest), fs)) ||
    (await isRunManifest(join(dir, RUN_FILES.previousDir, RUN_FILES.manifest), fs))
  ) {
    return { kind: 'run' };
  }
  const saving = await isSaveMarker(join(dir, RUN_FILES.saveInProgress), fs);
  const foreign: string[] = [];
  for (const name of names.sort()) {
    if (isTempFileName(name) || ALWAYS_OURS.has(name)) continue;
    if (saving && CHECKPOINT_FILES.has(name)) continue;
    foreign.push(name);
  }
  if (names.includes(RUN_FILES.metrics) && !(await isMetricsLog(join(dir, RUN_FILES.metrics), fs))) {
    foreign.unshift(RUN_FILES.metrics);
  }
  return foreign.length === 0 ? { kind: 'unfinished-run' } : { kind: 'not-a-run', names: foreign };
}

/**
 * Refuses an `--out` that training must not write into; `resume` continues a run, so only a
 * user's folder or a file is refused then (a missing checkpoint is reported by the loader).
 */
export async function checkOutDir(dir: string, resume: boolean, fs: RunFs = nodeRunFs): Promise<OutDirKind> {
  const found = await outDirKind(dir, fs);
  if (found.kind === 'file') {
    throw new ConfigError(`--out ${dir} is a file; give a directory (a new or empty one, or a run).`, 'out');
  }
  if (found.kind === 'not-a-run') {
    const shown = found.names.slice(0, 5).join(', ') + (found.names.length > 5 ? ', …' : '');
    throw new ConfigError(
      `--out ${dir} is not empty and is not an mmae run (it holds ${shown}); training would ` +
        'overwrite files there. Choose a new or empty directory.',
      'out',
    );
  }
  if (found.kind === 'run' && !resume) {
    throw new ConfigError(
      `--out ${dir} already holds a run; use --resume to continue it or choose another directory`,
      'out',
    );
  }
  return found;
}

async function readSmall(path: string, fs: RunFs, limit = 1 << 20): Promise<Buffer | undefined> {
  try {
    const stat = await fs.lstat(path);
    if (!stat.isFile() || stat.size > limit) return undefined;
    return Buffer.from(await fs.readFile(path));
  } catch (error) {
    if (errorCode(error) === 'ENOENT' || errorCode(error) === 'ENOTDIR') return undefined;
    throw runOsError('Could not read', path, error);
  }
}

async function jsonObjectOf(path: string, fs: RunFs): Promise<Record<string, unknown> | undefined> {
  const bytes = await readSmall(path, fs);
  if (bytes === undefined) return undefined;
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

async function isRunManifest(path: string, fs: RunFs): Promise<boolean> {
  return (await jsonObjectOf(path, fs))?.format === MANIFEST_FORMAT;
}

/** save-in-progress.json as saveCheckpoint writes it: { startedAt, pid, generation }. */
async function isSaveMarker(path: string, fs: RunFs): Promise<boolean> {
  const marker = await jsonObjectOf(path, fs);
  return (
    typeof marker?.startedAt === 'string' &&
    Number.isSafeInteger(marker.pid) &&
    Number.isSafeInteger(marker.generation)
  );
}

async function isMetricsLog(path: string, fs: RunFs): Promise<boolean> {
  let bytes: Buffer;
  try {
    const stat = await fs.lstat(path);
    // Past the size readMetrics accepts it is no log of mmae's, and is not read in whole to say so.
    if (!stat.isFile() || stat.size > MAX_METRICS_BYTES) return false;
    bytes = Buffer.from(await fs.readFile(path));
  } catch (error) {
    throw runOsError('Could not read', path, error);
  }
  const head = bytes.subarray(0, METRICS_PEEK).toString('utf8');
  return head.length === 0 || head.startsWith('{"epoch":');
}
