/**
 * pgvector's HNSW settings as mmae passes them: the build's m and ef_construction, the search's
 * ef_search, and their bounds, checked before they reach SQL (they are the only numbers spliced
 * into a statement, so they must be validated integers).
 */
import { UsageError } from '../../errors/errors.js';

/** pgvector's HNSW: m from 2 to 100, ef_construction from 4 to 1000 and at least 2·m. */
export interface HnswBuildOptions {
  readonly m: number;
  readonly efConstruction: number;
  /**
   * maintenance_work_mem for the build, in MB (SET LOCAL in its transaction); default the
   * server's. pgvector builds the graph in memory while it fits there, about 700 bytes a row for
   * 32-d codes at m 16, and then goes on row by row into the on-disk graph, many times slower.
   */
  readonly maintenanceWorkMemMb?: number;
}

/** 64 GB: PostgreSQL's own bound is higher; a larger build belongs to the server's settings. */
export const MAX_MAINTENANCE_WORK_MEM_MB = 65_536;

/** pgvector's defaults. */
export const DEFAULT_PG_HNSW: HnswBuildOptions = { m: 16, efConstruction: 64 };

/** pgvector's own default; raised to k for a search, since HNSW returns at most ef_search rows. */
export const DEFAULT_EF_SEARCH = 40;

/** pgvector indexes vectors of at most 2000 dimensions with HNSW. */
export const MAX_HNSW_DIMS = 2000;

export function checkHnsw(hnsw: HnswBuildOptions, dims: number): void {
  if (!Number.isInteger(hnsw.m) || hnsw.m < 2 || hnsw.m > 100) {
    throw new UsageError(
      `--m: ${String(hnsw.m)} is out of range; pgvector takes 2 to 100 links per node.`,
    );
  }
  if (
    !Number.isInteger(hnsw.efConstruction) ||
    hnsw.efConstruction < 4 ||
    hnsw.efConstruction > 1000
  ) {
    throw new UsageError(
      `--ef-construction: ${String(hnsw.efConstruction)} is out of range; pgvector takes 4 to 1000.`,
    );
  }
  if (hnsw.efConstruction < 2 * hnsw.m) {
    throw new UsageError(
      `--ef-construction: ${hnsw.efConstruction} is below 2 × m (${2 * hnsw.m}), which pgvector requires.`,
    );
  }
  const mb = hnsw.maintenanceWorkMemMb;
  if (mb !== undefined && (!Number.isInteger(mb) || mb < 1 || mb > MAX_MAINTENANCE_WORK_MEM_MB)) {
    throw new UsageError(
      `--maintenance-work-mem: ${String(mb)} is not a whole number of MB from 1 to ` +
        `${MAX_MAINTENANCE_WORK_MEM_MB}.`,
    );
  }
  if (dims > MAX_HNSW_DIMS) {
    throw new UsageError(
      `pgvector's HNSW indexes at most ${MAX_HNSW_DIMS} dims; this gallery has ${dims}.`,
    );
  }
}

/** pgvector's version is at least major.minor (e.g. 0.8 for hnsw.iterative_scan). */
export function atLeast(version: readonly number[], major: number, minor: number): boolean {
  const [a = 0, b = 0] = version;
  return a > major || (a === major && b >= minor);
}
