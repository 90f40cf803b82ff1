/**
 * Saves an ApproximateIndex as `hnsw.<random>.bin` (hnswlib's own graph file) plus `index.json`, and
 * loads it back. hnswlib trusts its file and a forger can recompute the checksum, so the graph is
 * validated field by field (hnsw-graph-check.ts) before native code reads it.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { ApproximateIndex, MAX_HNSW_M, spaceOf } from './approximate-index.js';
import { pickCheckpoint, type SaveIndexOptions } from './exact-index-file.js';
import { checkHnswGraph, hnswPayloadBounds } from './hnsw-graph-check.js';
import {
  INDEX_FORMAT_VERSION,
  indexMetaSchema,
  readIndexDirectory,
  writeIndexDirectory,
  type IndexExpectation,
} from './index-file.js';

const FORMAT = 'mmae-hnsw-index';
const PAYLOAD_STEM = 'hnsw';

const hnswMetaSchema = indexMetaSchema(FORMAT, PAYLOAD_STEM).extend({
  M: z.number().int().min(2).max(MAX_HNSW_M),
  efConstruction: z.number().int().positive(),
  efSearch: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
});

export async function saveApproximateIndex(
  index: ApproximateIndex,
  dir: string,
  options: SaveIndexOptions = {},
): Promise<void> {
  // hnswlib writes only to a path: a private temp directory, never the index directory itself.
  const bytes = await withScratchFile(async (path) => {
    index.nativeGraph.writeIndexSync(path);
    return readFile(path);
  });
  const meta = {
    format: FORMAT,
    version: INDEX_FORMAT_VERSION,
    metric: index.metric,
    dims: index.dims,
    count: index.size,
    M: index.hnsw.M,
    efConstruction: index.hnsw.efConstruction,
    efSearch: index.efSearch,
    seed: index.hnsw.seed,
    ...(options.checkpoint ? { checkpoint: pickCheckpoint(options.checkpoint) } : {}),
  };
  await writeIndexDirectory(dir, PAYLOAD_STEM, bytes, meta, index);
}

export async function loadApproximateIndex(
  dir: string,
  expect: IndexExpectation = {},
): Promise<ApproximateIndex> {
  const { meta, payload } = await readIndexDirectory(dir, {
    schema: hnswMetaSchema,
    expect,
    payloadBounds: (m) => ({
      ...hnswPayloadBounds(m),
      why: `for ${m.count} nodes × ${m.dims} dims with M = ${m.M}`,
    }),
  });
  const file = join(dir, meta.payload);
  checkHnswGraph(payload, meta, meta.metric, file);
  const graph = new hnswlib.HierarchicalNSW(spaceOf(meta.metric), meta.dims);
  try {
    // Hand hnswlib the verified bytes, not the path again, so the file cannot change in between.
    await withScratchFile(async (path) => {
      await writeFile(path, payload, { flag: 'wx' });
      graph.readIndexSync(path);
    });
  } catch (cause) {
    throw new RunError(`${file}: hnswlib cannot read the graph; rebuild the index.`, file, {
      cause,
    });
  }
  if (graph.getCurrentCount() !== meta.count || graph.getNumDimensions() !== meta.dims) {
    throw new RunError(
      `${file}: the graph holds ${graph.getCurrentCount()} vectors of ${graph.getNumDimensions()} ` +
        `dims, index.json says ${meta.count} × ${meta.dims}; rebuild the index.`,
      file,
    );
  }
  return new ApproximateIndex(
    graph,
    meta.metric,
    meta.dims,
    meta.count,
    { M: meta.M, efConstruction: meta.efConstruction, efSearch: meta.efSearch, seed: meta.seed },
    { ids: meta.ids, labels: meta.labels },
  );
}

/** Runs `use` with a path in a fresh private temp directory, removed afterwards. */
async function withScratchFile<T>(use: (path: string) => Promise<T>): Promise<T> {
  const scratch = await mkdtemp(join(tmpdir(), 'mmae-hnsw-'));
  try {
    return await use(join(scratch, 'graph.bin'));
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
