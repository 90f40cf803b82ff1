/**
 * Saves an ExactIndex as `embeddings.bin` (little-endian float32, search-ready rows: unit length
 * for cosine) plus `index.json` (format, dims, metric, ids, labels, checksum), and loads it back,
 * refusing a tampered directory or one that does not match what the caller expects.
 */
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { ExactIndex, type ExactStrategy } from './exact-index.js';
import { indexMetaSchema, readIndexDirectory, writeIndexDirectory } from './index-file.js';
import type { Metric } from './types.js';

const FORMAT = 'mmae-exact-index';
const PAYLOAD = 'embeddings.bin';

const exactMetaSchema = indexMetaSchema(FORMAT, PAYLOAD).extend({
  normalized: z.boolean(),
  dtype: z.literal('float32'),
  byteOrder: z.literal('little'),
});

/** What a caller requires of a loaded index; a difference is a RunError. */
export interface IndexExpectation {
  readonly dims?: number;
  readonly metric?: Metric;
}

export async function saveExactIndex(index: ExactIndex, dir: string): Promise<void> {
  const rows = index.storedRows;
  const bytes = new Uint8Array(rows.data.buffer, rows.data.byteOffset, rows.data.byteLength);
  const meta = {
    format: FORMAT,
    version: 1,
    metric: index.metric,
    dims: index.dims,
    count: index.size,
    normalized: index.metric === 'cosine',
    dtype: 'float32',
    byteOrder: 'little',
    payload: PAYLOAD,
    ids: index.ids,
    ...(index.labels ? { labels: index.labels } : {}),
  };
  await writeIndexDirectory(dir, PAYLOAD, bytes, meta);
}

export async function loadExactIndex(
  dir: string,
  expect: IndexExpectation = {},
  strategy: ExactStrategy = 'auto',
): Promise<ExactIndex> {
  const { meta, payload } = await readIndexDirectory(dir, exactMetaSchema, (m) => m.payload);
  checkExpectation(dir, meta, expect);
  if (payload.byteLength !== meta.count * meta.dims * 4 || meta.ids.length !== meta.count) {
    throw new RunError(
      `${dir}: ${PAYLOAD} holds ${payload.byteLength} bytes and ${meta.ids.length} ids, expected ` +
        `${meta.count} rows × ${meta.dims} dims × 4 bytes; save the index again.`,
      dir,
    );
  }
  // Copy into an aligned buffer: a Buffer from readFile may sit at any byte offset.
  const data = new Float32Array(meta.count * meta.dims);
  new Uint8Array(data.buffer).set(payload);
  return ExactIndex.fromStoredRows(
    { data, rows: meta.count, dims: meta.dims },
    meta.metric,
    { ids: meta.ids, labels: meta.labels },
    strategy,
  );
}

export function checkExpectation(
  dir: string,
  meta: { dims: number; metric: Metric },
  expect: IndexExpectation,
): void {
  if (expect.dims !== undefined && expect.dims !== meta.dims) {
    throw new RunError(
      `${dir}: the index has ${meta.dims} dims but ${expect.dims} were expected; it was built from ` +
        'another model. Rebuild the index for this model.',
      dir,
    );
  }
  if (expect.metric !== undefined && expect.metric !== meta.metric) {
    throw new RunError(
      `${dir}: the index uses metric '${meta.metric}' but '${expect.metric}' was expected; rebuild ` +
        `it with metric '${expect.metric}'.`,
      dir,
    );
  }
}
