/**
 * A user's own file list, encoded into a PostgreSQL gallery in streaming batches, for galleries
 * larger than memory: `mmae index RUN --manifest gallery.csv --modality image --store …`.
 *
 * The manifest is read by the run's registry's `manifest` dataset (the same checks as a training
 * manifest: every row, every path, before any work). Then one batch at a time: prepare the
 * batch's files, encode them, insert them, let them go. Memory is bounded by one batch of
 * features and codes (batchSize rows) on top of the manifest's entries (paths and ids) and, when
 * resuming, the set of ids already stored; it does not grow with the gallery's features.
 *
 * Resumable: each batch is one INSERT, committed on its own, so after a crash or Ctrl-C the
 * table holds whole batches; `resume` reads the ids it holds and encodes only the others
 * (ON CONFLICT DO NOTHING keeps a repeated row out either way). The gallery is marked complete
 * only after its last row and its HNSW index, so a killed load is never searched.
 */
import { basename, extname, resolve } from 'node:path';
import { parsePluginOptions } from '../container/parse-plugin-options.js';
import { subsetSplit } from '../data/splits.js';
import { UsageError } from '../errors/errors.js';
import { encodeTable } from '../evaluation/measures/encode-table.js';
import { featuresOf } from '../open/model-pipeline.js';
import type { OpenedRun } from '../open/open-run.js';
import {
  DEFAULT_PG_HNSW,
  PostgresVectorStore,
  checkHnsw,
  type GalleryRecord,
} from '../search/postgres/index.js';
import { checkModality } from './gallery-index.js';
import { galleryKeyOf, recordStoredGallery, type StoreRequest } from './gallery-store.js';
import { rowsWith } from './split-table.js';

export const DEFAULT_MANIFEST_BATCH = 256;
export const MAX_MANIFEST_BATCH = 8192;

export interface ManifestProgress {
  readonly done: number;
  readonly total: number;
  /** Rows of this run's own work per second (rows found stored on resume excluded). */
  readonly rowsPerSecond: number;
  /** Seconds left at that rate; undefined before the first batch. */
  readonly etaSeconds?: number;
}

export interface ManifestIndexOptions {
  /** The manifest file (.csv, .jsonl), as the `manifest` dataset reads it. */
  readonly manifest: string;
  readonly modality: string;
  /** The gallery's name in the store in place of a split; default the manifest's file name. */
  readonly gallery?: string;
  readonly batchSize?: number;
  /** Continue an incomplete gallery of the same checkpoint instead of starting afresh. */
  readonly resume?: boolean;
  readonly onProgress?: (progress: ManifestProgress) => void;
}

export interface ManifestIndexResult {
  readonly location: string;
  readonly record: GalleryRecord;
  /** Rows found already stored (resume) and not encoded again. */
  readonly resumed: number;
  /** Rows a modality could not prepare, left out under the run's onBadSample: 'skip'. */
  readonly skipped: number;
}

export async function indexManifestIntoStore(
  opened: OpenedRun,
  options: ManifestIndexOptions,
  request: StoreRequest,
): Promise<ManifestIndexResult> {
  const { modality } = options;
  checkModality(opened, modality, '--modality');
  const batchSize = options.batchSize ?? DEFAULT_MANIFEST_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_MANIFEST_BATCH) {
    throw new UsageError(
      `--batch-size: ${batchSize} is not a whole number from 1 to ${MAX_MANIFEST_BATCH}.`,
    );
  }
  const hnsw = request.hnsw ?? DEFAULT_PG_HNSW;
  checkHnsw(hnsw, opened.model.latentSize);
  await PostgresVectorStore.probe(request);
  const raw = await readManifest(opened, options.manifest);
  const setups = opened.setups.filter((s) => s.name === modality);
  const name = options.gallery ?? basename(options.manifest, extname(options.manifest));
  const key = galleryKeyOf(opened, modality, name, request.runId);
  const build = {
    dims: opened.model.latentSize,
    metric: 'cosine' as const,
    checkpoint: opened.checkpoint,
  };
  const { store, done } = options.resume
    ? await PostgresVectorStore.resume(request, key, build)
    : { store: await PostgresVectorStore.create(request, key, build), done: new Set<string>() };
  try {
    // Only the rows not stored yet; sample(i) reads nothing until a batch prepares it.
    const todo: number[] = [];
    for (let i = 0; i < raw.size; i++) if (!done.has(raw.sample(i).id)) todo.push(i);
    const resumed = raw.size - todo.length;
    const started = Date.now();
    let skipped = 0;
    let encoded = 0;
    for (let start = 0; start < todo.length; start += batchSize) {
      const batch = subsetSplit(raw, todo.slice(start, start + batchSize));
      const { table, skipped: bad } = await featuresOf(batch, setups, opened.config.onBadSample);
      skipped += bad.length;
      const rows = rowsWith(table, [modality]);
      if (rows.size > 0) {
        const codes = encodeTable(opened.model, rows, [modality]);
        // A manifest row without a label is stored with none (NULL), not a made-up class.
        const labels = Array.from(rows.labels, (l) => (l < 0 ? null : l));
        await store.addBatch(rows.ids, codes, labels);
      }
      encoded += batch.size;
      const seconds = (Date.now() - started) / 1000;
      const rate = seconds > 0 ? encoded / seconds : 0;
      options.onProgress?.({
        done: resumed + encoded,
        total: raw.size,
        rowsPerSecond: rate,
        ...(rate > 0 ? { etaSeconds: (todo.length - encoded) / rate } : {}),
      });
    }
    const record = await store.finish(hnsw);
    await recordStoredGallery(opened, modality, name, request.url, record);
    return { location: store.location, record, resumed, skipped };
  } finally {
    await store.close();
  }
}

/** Every row of the manifest, in its order: one split holding them all. */
async function readManifest(opened: OpenedRun, manifest: string) {
  const adapter = opened.registry.dataset('manifest', '--manifest');
  const path = resolve(manifest);
  const parsed = parsePluginOptions(
    adapter,
    // No split of the rows: the whole list is the gallery.
    { path, split: 'ratio', validationSize: 0, testSize: 0, unknownFields: 'ignore' },
    '--manifest',
  );
  const dataset = await adapter.load(parsed, { seed: opened.config.seed, baseDir: process.cwd() });
  return dataset.train;
}

/** One line a terminal redraws: bar, rows, rate and ETA. */
export function progressLine(p: ManifestProgress, width = 24): string {
  const share = p.total === 0 ? 1 : p.done / p.total;
  const filled = Math.round(share * width);
  const eta = p.etaSeconds === undefined ? '' : `  ETA ${formatSeconds(p.etaSeconds)}`;
  return (
    `[${'='.repeat(filled)}${' '.repeat(width - filled)}] ${p.done}/${p.total} rows  ` +
    `${Math.round(p.rowsPerSecond)} rows/s${eta}`
  );
}

function formatSeconds(s: number): string {
  const whole = Math.max(0, Math.round(s));
  const m = Math.floor(whole / 60);
  return m > 0 ? `${m}m${String(whole % 60).padStart(2, '0')}s` : `${whole}s`;
}
