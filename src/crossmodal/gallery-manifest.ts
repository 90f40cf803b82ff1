/**
 * A user's own file list, encoded in streaming batches, for galleries larger than memory:
 * `mmae index RUN --manifest gallery.csv --modality image [--store …]`, into a PostgreSQL
 * gallery or, without a store, into the run's own exact index in RUN/index/<modality>-<gallery>/
 * (grown on disk a batch at a time, see GrowingGalleryFile).
 *
 * The manifest is read by the run's registry's `manifest` dataset (the same checks as a training
 * manifest: every row, every path, before any work). Then one batch at a time: prepare the
 * batch's files, encode them, insert them, let them go. Memory is bounded by one batch of
 * features and codes (batchSize rows) on top of the manifest's entries (paths and ids) and, when
 * resuming, the set of ids already stored; it does not grow with the gallery's features.
 *
 * Resumable: each batch is committed on its own (one INSERT; or one append and a state file), so
 * after a crash or Ctrl-C the gallery holds whole batches; `resume` reads the ids it holds and
 * encodes only the others. A store's gallery is marked complete only after its last row and its
 * HNSW index, and the in-process index is written only after its last row, so a killed load is
 * never searched.
 */
import { basename, extname, resolve } from 'node:path';
import { parsePluginOptions } from '../container/parse-plugin-options.js';
import { subsetSplit } from '../data/splits.js';
import { UsageError } from '../errors/errors.js';
import type { RawSplit } from '../data/contract.js';
import { encodeTable } from '../evaluation/measures/encode-table.js';
import { featuresOf } from '../open/model-pipeline.js';
import type { OpenedRun } from '../open/open-run.js';
import {
  DEFAULT_PG_HNSW,
  PostgresVectorStore,
  checkHnsw,
  type GalleryRecord,
} from '../search/postgres/index.js';
import { GrowingGalleryFile } from '../search/growing-gallery-file.js';
import {
  loadSavedIndex,
  StaleIndexError,
  type ApproximateIndex,
  type ExactIndex,
} from '../search/index.js';
import { RunError } from '../errors/errors.js';
import { checkIndexFolder, checkModality, galleryDir } from './gallery-index.js';
import { galleryKeyOf, recordStoredGallery, type StoreRequest } from './gallery-store.js';
import { rowsWith, SPLIT_NAMES } from './split-table.js';

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

interface ManifestCounts {
  /** Rows found already stored (resume) and not encoded again. */
  readonly resumed: number;
  /** Rows a modality could not prepare, left out under the run's onBadSample: 'skip'. */
  readonly skipped: number;
}

export interface ManifestIndexResult extends ManifestCounts {
  readonly location: string;
  readonly record: GalleryRecord;
}

export interface ManifestLocalResult extends ManifestCounts {
  /** RUN/index/<modality>-<gallery>/, an exact index as mmae index writes for a split. */
  readonly dir: string;
  readonly size: number;
}

/** A gallery's name sits beside the splits' in RUN/index/ and in the store's registry. */
const GALLERY_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;

export function checkGalleryName(name: string, flag = '--gallery'): string {
  if (!GALLERY_NAME.test(name) || (SPLIT_NAMES as readonly string[]).includes(name)) {
    throw new UsageError(
      `${flag}: "${name.slice(0, 80)}" cannot name a gallery; use 1 to 64 letters, digits, _ ` +
        `or -, starting with a letter or digit, and not a split's name (${SPLIT_NAMES.join(', ')}).`,
    );
  }
  return name;
}

function galleryNameOf(options: ManifestIndexOptions): string {
  return options.gallery !== undefined
    ? checkGalleryName(options.gallery)
    : checkGalleryName(
        basename(options.manifest, extname(options.manifest)),
        '--manifest (its file name; give --gallery NAME)',
      );
}

function checkBatchSize(options: ManifestIndexOptions): number {
  const batchSize = options.batchSize ?? DEFAULT_MANIFEST_BATCH;
  if (!Number.isInteger(batchSize) || batchSize < 1 || batchSize > MAX_MANIFEST_BATCH) {
    throw new UsageError(
      `--batch-size: ${batchSize} is not a whole number from 1 to ${MAX_MANIFEST_BATCH}.`,
    );
  }
  return batchSize;
}

export async function indexManifestIntoStore(
  opened: OpenedRun,
  options: ManifestIndexOptions,
  request: StoreRequest,
): Promise<ManifestIndexResult> {
  checkModality(opened, options.modality, '--modality');
  const batchSize = checkBatchSize(options);
  const name = galleryNameOf(options);
  const hnsw = request.hnsw ?? DEFAULT_PG_HNSW;
  checkHnsw(hnsw, opened.model.latentSize);
  await PostgresVectorStore.probe(request);
  const raw = await readManifest(opened, options.manifest);
  const key = galleryKeyOf(opened, options.modality, name, request.runId);
  const build = {
    dims: opened.model.latentSize,
    metric: 'cosine' as const,
    checkpoint: opened.checkpoint,
  };
  const { store, done } = options.resume
    ? await PostgresVectorStore.resume(request, key, build)
    : { store: await PostgresVectorStore.create(request, key, build), done: new Set<string>() };
  try {
    const counts = await encodeManifest(
      opened,
      raw,
      done,
      options,
      batchSize,
      (ids, codes, labels) =>
        // A manifest row without a label is stored with none (NULL), not a made-up class.
        store
          .addBatch(
            ids,
            codes,
            Array.from(labels, (l) => (l < 0 ? null : l)),
          )
          .then(() => {}),
    );
    const record = await store.finish(hnsw);
    await recordStoredGallery(opened, options.modality, name, request.url, record);
    return { location: store.location, record, ...counts };
  } finally {
    await store.close();
  }
}

/**
 * The manifest into the run's own exact index, RUN/index/<modality>-<gallery>/, grown in
 * `<that>.partial/` a batch at a time and written as the index once the last row is in.
 */
export async function indexManifestInProcess(
  opened: OpenedRun,
  options: ManifestIndexOptions,
): Promise<ManifestLocalResult> {
  checkModality(opened, options.modality, '--modality');
  const batchSize = checkBatchSize(options);
  const name = galleryNameOf(options);
  await checkIndexFolder(opened.runDir);
  const raw = await readManifest(opened, options.manifest);
  const dir = galleryDir(opened.runDir, options.modality, name);
  const growing = { dims: opened.model.latentSize, checkpoint: opened.checkpoint };
  const { file, done } = options.resume
    ? await GrowingGalleryFile.resume(dir, growing)
    : { file: await GrowingGalleryFile.create(dir, growing), done: new Set<string>() };
  const counts = await encodeManifest(opened, raw, done, options, batchSize, (ids, codes, labels) =>
    file.append(ids, Array.from(labels), codes),
  );
  const { size } = await file.finish();
  return { dir, size, ...counts };
}

type AddBatch = (
  ids: readonly string[],
  codes: Float32Array,
  /** −1 for a row without a label. */
  labels: Int32Array,
) => Promise<void>;

/** Prepares, encodes and hands on the rows not `done`, one batch at a time, with progress. */
async function encodeManifest(
  opened: OpenedRun,
  raw: RawSplit,
  done: ReadonlySet<string>,
  options: ManifestIndexOptions,
  batchSize: number,
  add: AddBatch,
): Promise<ManifestCounts> {
  const { modality } = options;
  const setups = opened.setups.filter((s) => s.name === modality);
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
      await add(rows.ids, encodeTable(opened.model, rows, [modality]), rows.labels);
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
  return { resumed, skipped };
}

/**
 * The manifest gallery `name` of `modality` in RUN/index/, as `indexManifestInProcess` wrote it;
 * refused when missing, unfinished or encoded by another checkpoint, with the command that
 * builds it. (A split's index is built on the fly; a manifest gallery needs its file list.)
 */
export async function loadManifestGallery(
  opened: OpenedRun,
  modality: string,
  name: string,
): Promise<ExactIndex | ApproximateIndex> {
  checkModality(opened, modality, '--to');
  checkGalleryName(name);
  await checkIndexFolder(opened.runDir);
  const dir = galleryDir(opened.runDir, modality, name);
  const build = `mmae index ${opened.runDir} --modality ${modality} --manifest FILE --gallery ${name}`;
  let index: ExactIndex | ApproximateIndex | undefined;
  try {
    index = await loadSavedIndex(dir, {
      dims: opened.model.latentSize,
      metric: 'cosine',
      checkpoint: opened.checkpoint,
    });
  } catch (error) {
    if (!(error instanceof RunError)) throw error;
    const Kind = error instanceof StaleIndexError ? StaleIndexError : RunError;
    const message = error.message.replace(/[.;]?\s*rebuild the index\.$/i, '.');
    throw new Kind(`${message} Rebuild it with: ${build}`, error.file, { cause: error });
  }
  if (!index) {
    throw new RunError(
      `${dir}: no ${modality} gallery "${name}" in this run (an unfinished one stays in ` +
        `${basename(dir)}.partial/ until its last row). Build it with: ${build} [--resume]`,
      dir,
    );
  }
  return index;
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
