/**
 * Loads a saved index of either kind from its directory, picking the loader by the format that
 * index.json names; the loader then reads and checks index.json in full.
 */
import { join } from 'node:path';
import { loadApproximateIndex } from './approximate-index-file.js';
import type { ApproximateIndex } from './approximate-index.js';
import { loadExactIndex } from './exact-index-file.js';
import type { ExactIndex } from './exact-index.js';
import { HEAD_BYTES, META_FILE, type IndexExpectation } from './index-file.js';
import { readFileHead } from './read-bounded-file.js';

/** The index in `dir`, or undefined when it has no index.json. */
export async function loadSavedIndex(
  dir: string,
  expect: IndexExpectation = {},
): Promise<ExactIndex | ApproximateIndex | undefined> {
  const head = await readFileHead(join(dir, META_FILE), HEAD_BYTES);
  if (head === undefined) return undefined;
  // Anything unreadable or of another kind goes to the exact loader, which says what is wrong.
  return /"format"\s*:\s*"mmae-hnsw-index"/.test(head.toString('utf8'))
    ? loadApproximateIndex(dir, expect)
    : loadExactIndex(dir, expect);
}
