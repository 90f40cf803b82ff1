/**
 * A run's gallery in a PostgreSQL store: encode one modality of one split (as a saved index is
 * built), load it in batches, index it with HNSW, and record in RUN/index/stores.json which store
 * holds it, without credentials. Opening it for retrieval checks it against the run's checkpoint
 * now, so a gallery built before `train --resume` is refused as stale.
 */
import { mkdir } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { OpenedRun } from '../open/open-run.js';
import { recordGalleryStore } from '../search/gallery-stores-file.js';
import {
  DEFAULT_PG_HNSW,
  PostgresVectorStore,
  checkHnsw,
  type DatabaseUrl,
  type GalleryKey,
  type GalleryRecord,
  type HnswBuildOptions,
  type PoolOptions,
} from '../search/postgres/index.js';
import { checkIndexFolder, checkModality, encodeGallery } from './gallery-index.js';
import type { SplitName } from './split-table.js';

/** Where a gallery goes, and how it is built and searched. */
export interface StoreRequest extends PoolOptions {
  readonly url: DatabaseUrl;
  readonly hnsw?: HnswBuildOptions;
  /** The run's name in the store; default the run directory's name. */
  readonly runId?: string;
}

/** Rows per addBatch: one INSERT round trip per 1000 codes keeps the load in a few statements. */
export const LOAD_BATCH = 1000;

export interface StoredGalleryResult {
  readonly location: string;
  readonly record: GalleryRecord;
}

/** `split` names the gallery within the run: a split's name, or a manifest's gallery name. */
export function galleryKeyOf(
  opened: OpenedRun,
  modality: string,
  split: string,
  runId?: string,
): GalleryKey {
  return { runId: runId ?? basename(opened.runDir), modality, split };
}

export async function indexIntoStore(
  opened: OpenedRun,
  modality: string,
  split: SplitName,
  request: StoreRequest,
): Promise<StoredGalleryResult> {
  checkModality(opened, modality, '--modality');
  const hnsw = request.hnsw ?? DEFAULT_PG_HNSW;
  // Checked before encoding, so a bad --m costs nothing.
  checkHnsw(hnsw, opened.model.latentSize);
  await checkIndexFolder(opened.runDir);
  await PostgresVectorStore.probe(request);
  const gallery = await encodeGallery(opened, modality, split);
  const dims = opened.model.latentSize;
  const store = await PostgresVectorStore.create(
    { ...request, url: request.url },
    galleryKeyOf(opened, modality, split, request.runId),
    { dims, metric: 'cosine', checkpoint: opened.checkpoint },
  );
  try {
    for (let start = 0; start < gallery.size; start += LOAD_BATCH) {
      const end = Math.min(gallery.size, start + LOAD_BATCH);
      await store.addBatch(
        gallery.ids.slice(start, end),
        gallery.codes.subarray(start * dims, end * dims),
        // A sample without a label is stored with none (NULL), not the table's −1.
        gallery.labels.slice(start, end).map((l) => (l < 0 ? null : l)),
      );
    }
    const record = await store.finish(hnsw);
    await recordStoredGallery(opened, modality, split, request.url, record);
    return { location: store.location, record };
  } finally {
    await store.close();
  }
}

/** Writes into RUN/index/stores.json which store holds the gallery: its URL without credentials. */
export async function recordStoredGallery(
  opened: OpenedRun,
  modality: string,
  split: string,
  url: DatabaseUrl,
  record: GalleryRecord,
): Promise<void> {
  await checkIndexFolder(opened.runDir);
  const indexDir = join(opened.runDir, 'index');
  await mkdir(indexDir, { recursive: true });
  await recordGalleryStore(indexDir, {
    modality,
    split,
    store: 'postgres',
    url: url.redacted,
    table: record.table,
    metric: record.metric,
    dims: record.dims,
    rows: record.rows,
    checkpoint: record.checkpoint,
    ...(record.hnsw ? { hnsw: record.hnsw } : {}),
    updatedAt: new Date().toISOString(),
  });
}

/**
 * The run's gallery in the store, refused when incomplete, stale or of another latent size.
 * `split` a split's name, or a manifest gallery's.
 */
export async function openGalleryStore(
  opened: OpenedRun,
  modality: string,
  split: string,
  request: StoreRequest,
): Promise<PostgresVectorStore> {
  checkModality(opened, modality, '--to');
  return PostgresVectorStore.open(request, galleryKeyOf(opened, modality, split, request.runId), {
    dims: opened.model.latentSize,
    metric: 'cosine',
    checkpoint: opened.checkpoint,
  });
}
