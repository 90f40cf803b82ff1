/**
 * A gallery of one modality of one split, encoded into the shared latent and saved as a search
 * index in RUN/index/<modality>-<split>/: exact by default, HNSW when asked (its recall@10 against
 * exact search is measured on the gallery's own codes and saved beside it).
 *
 * Each index records the checkpoint (generation and weights hash) whose model encoded it. Loading
 * for another checkpoint, e.g. after `train --resume`, finds it stale: `openGalleryIndex`, which
 * builds indexes on the fly, rebuilds it with a note; `loadGalleryIndex` refuses it.
 */
import { lstat } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTable } from '../evaluation/measures/encode-table.js';
import type { OpenedRun } from '../open/open-run.js';
import { RunError, UsageError } from '../errors/errors.js';
import { atomicWriteFile } from '../runs/index.js';
import {
  ApproximateIndex,
  ExactIndex,
  loadSavedIndex,
  recallAgainstExact,
  saveApproximateIndex,
  saveExactIndex,
  StaleIndexError,
  type SearchHit,
} from '../search/index.js';
import { prepareSplit, rowsWith, type SplitName } from './split-table.js';

/** What retrieval needs of either index kind. */
export interface GalleryIndex {
  readonly size: number;
  readonly dims: number;
  search(queries: Float32Array, k: number): SearchHit[][];
  dispose?(): void;
}

export interface BuiltGallery {
  readonly dir: string;
  readonly size: number;
  readonly approximate: boolean;
  /** HNSW only: share of the exact top-10 the approximate search also returns. */
  readonly recallAt10?: number;
}

/** RUN/index/<modality>-<split>/: `split` a split, or a manifest gallery's name (checkGalleryName). */
export function galleryDir(runDir: string, modality: string, split: string): string {
  return join(runDir, 'index', `${modality}-${split}`);
}

/** Checks that the run has `modality`, naming the flag at fault otherwise. */
export function checkModality(opened: OpenedRun, modality: string, flag: string): void {
  if (!opened.model.names.includes(modality)) {
    throw new UsageError(
      `${flag}: this run has no modality "${modality}"; it was trained on: ${opened.model.names.join(', ')}.`,
    );
  }
}

export async function buildGalleryIndex(
  opened: OpenedRun,
  modality: string,
  split: SplitName,
  options: { approximate?: boolean } = {},
): Promise<BuiltGallery> {
  const { codes, ids, labels, size } = await encodeGallery(opened, modality, split);
  const items = { metric: 'cosine' as const, dims: opened.model.latentSize, ids, labels };
  const dir = galleryDir(opened.runDir, modality, split);
  await checkIndexFolder(opened.runDir);
  const save = { checkpoint: opened.checkpoint };
  if (!options.approximate) {
    const exact = ExactIndex.build(codes, items);
    await saveExactIndex(exact, dir, save);
    exact.dispose();
    return { dir, size, approximate: false };
  }
  const approximate = ApproximateIndex.build(codes, { ...items, seed: opened.config.seed });
  const exact = ExactIndex.build(codes, items);
  const k = Math.min(10, size);
  const queries = codes.subarray(0, Math.min(200, size) * items.dims);
  const recallAt10 = recallAgainstExact(approximate, exact, queries, k);
  exact.dispose();
  await saveApproximateIndex(approximate, dir, save);
  await atomicWriteFile(
    join(dir, 'recall.json'),
    `${JSON.stringify({ k, recall: recallAt10 }, null, 2)}\n`,
  );
  return { dir, size, approximate: true, recallAt10 };
}

/** A split's items carrying `modality`, encoded: what every gallery of it is built from. */
export interface EncodedGallery {
  /** Row-major [size, latentSize]. */
  readonly codes: Float32Array;
  readonly ids: readonly string[];
  readonly labels: readonly number[];
  readonly size: number;
}

export async function encodeGallery(
  opened: OpenedRun,
  modality: string,
  split: SplitName,
): Promise<EncodedGallery> {
  checkModality(opened, modality, '--modality');
  const prepared = await prepareSplit(opened, split, [modality]);
  const table = rowsWith(prepared.table, [modality]);
  if (table.size === 0) {
    throw new UsageError(
      `the ${split} split has no samples carrying "${modality}"; pick another split.`,
    );
  }
  const codes = encodeTable(opened.model, table, [modality]);
  return { codes, ids: table.ids, labels: Array.from(table.labels), size: table.size };
}

/**
 * Loads the saved index of either kind, or undefined when none was built. A stale, damaged or
 * forged index is a RunError that says how to rebuild it.
 */
export async function loadGalleryIndex(
  opened: OpenedRun,
  modality: string,
  split: SplitName,
): Promise<GalleryIndex | undefined> {
  try {
    return await loadSaved(opened, modality, split);
  } catch (error) {
    throw withRebuildHint(error, opened, modality, split);
  }
}

/** The saved index, built first when missing, and rebuilt when stale (with a note). */
export async function openGalleryIndex(
  opened: OpenedRun,
  modality: string,
  split: SplitName,
  options: { note?: (line: string) => void } = {},
): Promise<GalleryIndex> {
  checkModality(opened, modality, '--to');
  try {
    const loaded = await loadSaved(opened, modality, split);
    if (loaded) return loaded;
  } catch (error) {
    if (!(error instanceof StaleIndexError)) throw withRebuildHint(error, opened, modality, split);
    const note = options.note ?? ((line) => process.stderr.write(`${line}\n`));
    note(`note: rebuilding the stale index: ${withoutRebuildAdvice(error.message)}`);
  }
  await buildGalleryIndex(opened, modality, split);
  const built = await loadGalleryIndex(opened, modality, split);
  if (!built) {
    throw new RunError(
      `${galleryDir(opened.runDir, modality, split)}: the index vanished right after it was built; ` +
        'is another process removing it?',
    );
  }
  return built;
}

async function loadSaved(
  opened: OpenedRun,
  modality: string,
  split: SplitName,
): Promise<ExactIndex | ApproximateIndex | undefined> {
  await checkIndexFolder(opened.runDir);
  return loadSavedIndex(galleryDir(opened.runDir, modality, split), {
    dims: opened.model.latentSize,
    metric: 'cosine',
    checkpoint: opened.checkpoint,
  });
}

/** RUN/index must be a plain directory (or absent): a link would send writes out of the run. */
export async function checkIndexFolder(runDir: string): Promise<void> {
  const folder = join(runDir, 'index');
  const stat = await lstat(folder).catch(() => undefined);
  if (stat && (stat.isSymbolicLink() || !stat.isDirectory())) {
    throw new RunError(
      `${folder}: must be a plain directory, not a ${stat.isSymbolicLink() ? 'symbolic link' : 'file'}; ` +
        'a run directory never points outside itself. Remove it and rebuild the indexes.',
      folder,
    );
  }
}

function withRebuildHint(
  error: unknown,
  opened: OpenedRun,
  modality: string,
  split: SplitName,
): unknown {
  if (!(error instanceof RunError)) return error;
  const hint = ` Rebuild it with: mmae index ${opened.runDir} --modality ${modality} --split ${split}`;
  const Kind = error instanceof StaleIndexError ? StaleIndexError : RunError;
  return new Kind(`${withoutRebuildAdvice(error.message)}${hint}`, error.file, { cause: error });
}

/** The loaders end with a generic "Rebuild the index."; here the exact command replaces it. */
function withoutRebuildAdvice(message: string): string {
  return message.replace(/[.;]?\s*rebuild the index\.$/i, '.');
}
