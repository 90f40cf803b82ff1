/**
 * A gallery of one modality of one split, encoded into the shared latent and saved as a search
 * index in RUN/index/<modality>-<split>/: exact by default, HNSW when asked (its recall@10 against
 * exact search is measured on the gallery's own codes and saved beside it).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodeTable } from '../evaluation/encode-table.js';
import type { OpenedRun } from '../experiment/open-run.js';
import { UsageError } from '../errors/errors.js';
import {
  ApproximateIndex,
  ExactIndex,
  loadApproximateIndex,
  loadExactIndex,
  recallAgainstExact,
  saveApproximateIndex,
  saveExactIndex,
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

export function galleryDir(runDir: string, modality: string, split: SplitName): string {
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
  checkModality(opened, modality, '--modality');
  const prepared = await prepareSplit(opened, split, [modality]);
  const table = rowsWith(prepared.table, [modality]);
  if (table.size === 0) {
    throw new UsageError(
      `the ${split} split has no samples carrying "${modality}"; pick another split.`,
    );
  }
  const codes = encodeTable(opened.model, table, [modality]);
  const items = {
    metric: 'cosine' as const,
    dims: opened.model.latentSize,
    ids: table.ids,
    labels: Array.from(table.labels),
  };
  const dir = galleryDir(opened.runDir, modality, split);
  if (!options.approximate) {
    const exact = ExactIndex.build(codes, items);
    await saveExactIndex(exact, dir);
    exact.dispose();
    return { dir, size: table.size, approximate: false };
  }
  const approximate = ApproximateIndex.build(codes, { ...items, seed: opened.config.seed });
  const exact = ExactIndex.build(codes, items);
  const k = Math.min(10, table.size);
  const queries = codes.subarray(0, Math.min(200, table.size) * items.dims);
  const recallAt10 = recallAgainstExact(approximate, exact, queries, k);
  exact.dispose();
  await saveApproximateIndex(approximate, dir);
  await writeFile(
    join(dir, 'recall.json'),
    `${JSON.stringify({ k, recall: recallAt10 }, null, 2)}\n`,
  );
  return { dir, size: table.size, approximate: true, recallAt10 };
}

/** Loads the saved index of either kind, or undefined when none was built. */
export async function loadGalleryIndex(
  opened: OpenedRun,
  modality: string,
  split: SplitName,
): Promise<GalleryIndex | undefined> {
  const dir = galleryDir(opened.runDir, modality, split);
  let text: string;
  try {
    text = await readFile(join(dir, 'index.json'), 'utf8');
  } catch {
    return undefined;
  }
  const expect = { dims: opened.model.latentSize, metric: 'cosine' as const };
  // A damaged index.json is left to the loaders, which refuse it with a RunError.
  return text.includes('"mmae-hnsw-index"')
    ? loadApproximateIndex(dir, expect)
    : loadExactIndex(dir, expect);
}

/** The saved index, built first when missing. */
export async function openGalleryIndex(
  opened: OpenedRun,
  modality: string,
  split: SplitName,
): Promise<GalleryIndex> {
  checkModality(opened, modality, '--to');
  const loaded = await loadGalleryIndex(opened, modality, split);
  if (loaded) return loaded;
  await buildGalleryIndex(opened, modality, split);
  const built = await loadGalleryIndex(opened, modality, split);
  if (!built)
    throw new Error(`the index in ${galleryDir(opened.runDir, modality, split)} vanished`);
  return built;
}
