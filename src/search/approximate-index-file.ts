/**
 * Saves an ApproximateIndex as `hnsw.bin` (hnswlib's own graph file) plus `index.json`, and loads
 * it back. The checksum is verified before hnswlib reads the graph, so a damaged file never
 * reaches native code.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import hnswlib from 'hnswlib-node';
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { ApproximateIndex, spaceOf } from './approximate-index.js';
import { checkExpectation, type IndexExpectation } from './exact-index-file.js';
import { indexMetaSchema, readIndexDirectory, writeIndexDirectory } from './index-file.js';

const FORMAT = 'mmae-hnsw-index';
const PAYLOAD = 'hnsw.bin';

const hnswMetaSchema = indexMetaSchema(FORMAT, PAYLOAD).extend({
  M: z.number().int().positive(),
  efConstruction: z.number().int().positive(),
  efSearch: z.number().int().positive(),
  seed: z.number().int().nonnegative(),
});

export async function saveApproximateIndex(index: ApproximateIndex, dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  // hnswlib writes only to a path; write it, read the bytes for the checksum, write them in place.
  const staging = join(dir, `${PAYLOAD}.${randomUUID()}.tmp`);
  try {
    index.nativeGraph.writeIndexSync(staging);
    const bytes = await readFile(staging);
    const meta = {
      format: FORMAT,
      version: 1,
      metric: index.metric,
      dims: index.dims,
      count: index.size,
      payload: PAYLOAD,
      M: index.hnsw.M,
      efConstruction: index.hnsw.efConstruction,
      efSearch: index.efSearch,
      seed: index.hnsw.seed,
      ids: index.ids,
      ...(index.labels ? { labels: index.labels } : {}),
    };
    await writeIndexDirectory(dir, PAYLOAD, bytes, meta);
  } finally {
    await rm(staging, { force: true });
  }
}

export async function loadApproximateIndex(
  dir: string,
  expect: IndexExpectation = {},
): Promise<ApproximateIndex> {
  const { meta, payload } = await readIndexDirectory(dir, hnswMetaSchema, (m) => m.payload);
  checkExpectation(dir, meta, expect);
  if (meta.ids.length !== meta.count) {
    throw new RunError(
      `${dir}: ${meta.ids.length} ids for ${meta.count} vectors; save the index again.`,
      dir,
    );
  }
  // Read the verified bytes, not the path again, so the file cannot change between check and use.
  const verified = join(tmpdir(), `mmae-hnsw-${randomUUID()}.bin`);
  const graph = new hnswlib.HierarchicalNSW(spaceOf(meta.metric), meta.dims);
  try {
    await writeFile(verified, payload);
    graph.readIndexSync(verified);
  } catch (cause) {
    throw new RunError(
      `${join(dir, PAYLOAD)}: hnswlib cannot read the graph; rebuild the index.`,
      dir,
      {
        cause,
      },
    );
  } finally {
    await rm(verified, { force: true });
  }
  if (graph.getCurrentCount() !== meta.count || graph.getNumDimensions() !== meta.dims) {
    throw new RunError(
      `${dir}: the graph holds ${graph.getCurrentCount()} vectors of ${graph.getNumDimensions()} dims, ` +
        `${'index.json'} says ${meta.count} × ${meta.dims}; rebuild the index.`,
      dir,
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
