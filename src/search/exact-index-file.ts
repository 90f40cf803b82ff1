/**
 * Saves an ExactIndex as `embeddings.<random>.bin` (little-endian float32, search-ready rows: unit
 * length for cosine) plus `index.json` (format, dims, metric, ids, labels, checkpoint, checksum),
 * and loads it back, refusing a tampered directory or one that does not match what the caller
 * expects. The payload's size must be exactly count × dims × 4 before a byte of it is read.
 */
import { join } from 'node:path';
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { ExactIndex, type ExactStrategy } from './exact-index.js';
import {
  INDEX_FORMAT_VERSION,
  indexMetaSchema,
  readIndexDirectory,
  writeIndexDirectory,
  type IndexCheckpoint,
  type IndexExpectation,
} from './index-file.js';
import { storedRowsProblem } from './stored-rows-check.js';

export { checkExpectation, type IndexExpectation } from './index-file.js';

const FORMAT = 'mmae-exact-index';
const PAYLOAD_STEM = 'embeddings';

const exactMetaSchema = indexMetaSchema(FORMAT, PAYLOAD_STEM).extend({
  normalized: z.boolean(),
  dtype: z.literal('float32'),
  byteOrder: z.literal('little'),
});

export interface SaveIndexOptions {
  /** The checkpoint whose weights made these vectors, recorded so a newer one reads as stale. */
  readonly checkpoint?: IndexCheckpoint;
}

export async function saveExactIndex(
  index: ExactIndex,
  dir: string,
  options: SaveIndexOptions = {},
): Promise<void> {
  const rows = index.storedRows;
  const bytes = new Uint8Array(rows.data.buffer, rows.data.byteOffset, rows.data.byteLength);
  const meta = {
    format: FORMAT,
    version: INDEX_FORMAT_VERSION,
    metric: index.metric,
    dims: index.dims,
    count: index.size,
    normalized: index.metric === 'cosine',
    dtype: 'float32',
    byteOrder: 'little',
    ...(options.checkpoint ? { checkpoint: pickCheckpoint(options.checkpoint) } : {}),
  };
  await writeIndexDirectory(dir, PAYLOAD_STEM, bytes, meta, index);
}

/** Only the two fields, whatever else the caller's object carries. */
export function pickCheckpoint(c: IndexCheckpoint): IndexCheckpoint {
  return { generation: c.generation, weightsSha256: c.weightsSha256 };
}

export async function loadExactIndex(
  dir: string,
  expect: IndexExpectation = {},
  strategy: ExactStrategy = 'auto',
): Promise<ExactIndex> {
  const { meta, payload } = await readIndexDirectory(dir, {
    schema: exactMetaSchema,
    expect,
    payloadBounds: (m) => {
      const bytes = m.count * m.dims * 4;
      return { minBytes: bytes, maxBytes: bytes, why: `for ${m.count} rows × ${m.dims} dims` };
    },
  });
  // Copy into an aligned buffer: a Buffer may sit at any byte offset.
  const data = new Float32Array(meta.count * meta.dims);
  new Uint8Array(data.buffer).set(payload);
  const problem = storedRowsProblem(data, meta.dims, meta.metric);
  if (problem !== undefined) {
    throw new RunError(
      `${join(dir, meta.payload)}: stored ${problem}; the index is damaged or was forged. ` +
        'Rebuild the index.',
      dir,
    );
  }
  return ExactIndex.fromStoredRows(
    { data, rows: meta.count, dims: meta.dims },
    meta.metric,
    { ids: meta.ids, labels: meta.labels },
    strategy,
  );
}
