/**
 * Validates an hnswlib graph file before native code reads it. hnswlib trusts its file: an entry
 * point, neighbour id or list length out of range makes it read out of bounds and the process die
 * with a segfault, no message. A checksum does not help against a forger, who recomputes it, so
 * every field that hnswlib later uses as an offset or a loop bound is checked here, against the
 * file size and against the count, dims and M that index.json records.
 *
 * The layout is `HierarchicalNSW::saveIndex` in hnswlib's hnswalg.h (hnswlib-node 3.x), little
 * endian, size_t = 8 bytes:
 *   header (96 bytes): offsetLevel0 u64, maxElements u64, curElementCount u64,
 *     sizeDataPerElement u64, labelOffset u64, offsetData u64, maxLevel i32, entryPoint u32,
 *     maxM u64, maxM0 u64, M u64, mult f64, efConstruction u64;
 *   level 0: per element [count u32 (low 16 bits; byte 2 is the deleted mark), maxM0 × u32 ids,
 *     dims × f32 vector, label u64];
 *   upper levels: per element a u32 byte length, then level × [count u32, maxM × u32 ids].
 */
import { RunError } from '../errors/errors.js';
import { storedRowsProblem } from './stored-rows-check.js';
import type { Metric } from './types.js';

export const HNSW_HEADER_BYTES = 96;

/**
 * Highest level a node may sit on. hnswlib draws ⌊−ln(U)/ln(M)⌋ with U resolved to 2⁻⁶², so even
 * M = 2 stays at or below 62.
 */
export const MAX_HNSW_LEVEL = 64;

export interface HnswShape {
  readonly count: number;
  readonly dims: number;
  readonly M: number;
  readonly efConstruction: number;
}

interface Layout {
  readonly maxM: number;
  readonly maxM0: number;
  /** Bytes of one element's level-0 link list: its count and maxM0 ids. */
  readonly level0Links: number;
  readonly dataPerElement: number;
  /** Bytes of one upper-level link list: its count and maxM ids. */
  readonly upperLinks: number;
}

function layoutOf({ M, dims }: HnswShape): Layout {
  const level0Links = 2 * M * 4 + 4;
  return {
    maxM: M,
    maxM0: 2 * M,
    level0Links,
    dataPerElement: level0Links + dims * 4 + 8,
    upperLinks: M * 4 + 4,
  };
}

/** The smallest and largest file a graph of this shape can be; checked before reading it. */
export function hnswPayloadBounds(shape: HnswShape): { minBytes: number; maxBytes: number } {
  const l = layoutOf(shape);
  const minBytes = HNSW_HEADER_BYTES + shape.count * (l.dataPerElement + 4);
  return { minBytes, maxBytes: minBytes + shape.count * MAX_HNSW_LEVEL * l.upperLinks };
}

/** Throws a RunError naming `file` and the field at fault unless `bytes` is a sound graph. */
export function checkHnswGraph(
  bytes: Uint8Array,
  shape: HnswShape,
  metric: Metric,
  file: string,
): void {
  const fail = (what: string): never => {
    throw new RunError(
      `${file}: ${what}; the graph is damaged or was forged, and hnswlib would read out of ` +
        'bounds. Rebuild the index.',
      file,
    );
  };
  if (bytes.byteLength < HNSW_HEADER_BYTES) fail(`only ${bytes.byteLength} bytes, no header`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const layout = layoutOf(shape);
  const maxLevel = checkHeader(view, shape, layout, fail);
  checkLevel0(view, shape, layout, metric, fail);
  checkUpperLevels(view, shape, layout, maxLevel, view.getUint32(52, true), fail);
}

type Fail = (what: string) => never;

/** Returns maxLevel once every header field matches what index.json implies. */
function checkHeader(view: DataView, shape: HnswShape, l: Layout, fail: Fail): number {
  const u64 = (offset: number): number => {
    const v = view.getBigUint64(offset, true);
    return v > BigInt(Number.MAX_SAFE_INTEGER) ? Number.POSITIVE_INFINITY : Number(v);
  };
  const expected: [string, number, number][] = [
    ['offsetLevel0', u64(0), 0],
    ['maxElements', u64(8), shape.count],
    ['curElementCount', u64(16), shape.count],
    ['sizeDataPerElement', u64(24), l.dataPerElement],
    ['labelOffset', u64(32), l.level0Links + shape.dims * 4],
    ['offsetData', u64(40), l.level0Links],
    ['maxM', u64(56), l.maxM],
    ['maxM0', u64(64), l.maxM0],
    ['M', u64(72), shape.M],
    ['efConstruction', u64(88), Math.max(shape.efConstruction, shape.M)],
  ];
  for (const [field, actual, want] of expected) {
    if (actual !== want) fail(`header field ${field} is ${actual}, expected ${want}`);
  }
  const maxLevel = view.getInt32(48, true);
  if (maxLevel < 0 || maxLevel > MAX_HNSW_LEVEL) {
    fail(`header field maxLevel is ${maxLevel}, expected 0–${MAX_HNSW_LEVEL}`);
  }
  const entryPoint = view.getUint32(52, true);
  if (entryPoint >= shape.count) {
    fail(`header field entryPoint is ${entryPoint}, but the graph has ${shape.count} nodes`);
  }
  const mult = view.getFloat64(80, true);
  const wantMult = 1 / Math.log(shape.M);
  if (!(Math.abs(mult - wantMult) <= 1e-9 * wantMult)) {
    fail(`header field mult is ${mult}, expected 1/ln(M) = ${wantMult}`);
  }
  const level0End = HNSW_HEADER_BYTES + shape.count * l.dataPerElement;
  if (level0End > view.byteLength) {
    fail(`level 0 needs ${level0End} bytes, the file holds ${view.byteLength}`);
  }
  return maxLevel;
}

/** Level 0 holds every node: its links, its vector and its label (the row it stands for). */
function checkLevel0(
  view: DataView,
  shape: HnswShape,
  l: Layout,
  metric: Metric,
  fail: Fail,
): void {
  const { count, dims } = shape;
  const vectors = new Float32Array(count * dims);
  const labelSeen = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const base = HNSW_HEADER_BYTES + i * l.dataPerElement;
    // The whole u32, not just hnswlib's 16-bit count: this also refuses a "deleted" mark.
    const links = view.getUint32(base, true);
    if (links > l.maxM0) fail(`node ${i} has ${links} level-0 links, at most ${l.maxM0} allowed`);
    for (let j = 0; j < links; j++) {
      const n = view.getUint32(base + 4 + 4 * j, true);
      if (n >= count) fail(`node ${i} links to node ${n} at level 0, beyond the ${count} nodes`);
    }
    const data = base + l.level0Links;
    for (let j = 0; j < dims; j++) vectors[i * dims + j] = view.getFloat32(data + 4 * j, true);
    const label = view.getBigUint64(data + 4 * dims, true);
    if (label >= BigInt(count)) fail(`node ${i} has label ${label}, beyond the ${count} rows`);
    const row = Number(label);
    if (labelSeen[row]) fail(`label ${row} is used by two nodes`);
    labelSeen[row] = 1;
  }
  const problem = storedRowsProblem(vectors, dims, metric);
  if (problem !== undefined) fail(`stored vector ${problem}`);
}

function checkUpperLevels(
  view: DataView,
  shape: HnswShape,
  l: Layout,
  maxLevel: number,
  entryPoint: number,
  fail: Fail,
): void {
  const { count } = shape;
  const levels = new Int32Array(count);
  const listStart = new Float64Array(count);
  let offset = HNSW_HEADER_BYTES + count * l.dataPerElement;
  for (let i = 0; i < count; i++) {
    if (offset + 4 > view.byteLength) fail(`the file ends before the link lists of node ${i}`);
    const size = view.getUint32(offset, true);
    offset += 4;
    const level = size / l.upperLinks;
    if (!Number.isInteger(level) || level > maxLevel) {
      fail(
        `node ${i} has ${size} bytes of upper links, not a whole number of levels ≤ ${maxLevel}`,
      );
    }
    if (offset + size > view.byteLength) fail(`the link lists of node ${i} run past the file end`);
    levels[i] = level;
    listStart[i] = offset;
    offset += size;
  }
  if (offset !== view.byteLength) {
    fail(`${view.byteLength - offset} bytes follow the last link list`);
  }
  if (levels[entryPoint] !== maxLevel) {
    fail(`entry point ${entryPoint} sits on level ${levels[entryPoint]}, not the top ${maxLevel}`);
  }
  for (let i = 0; i < count; i++) {
    for (let level = 1; level <= (levels[i] as number); level++) {
      const p = (listStart[i] as number) + (level - 1) * l.upperLinks;
      const links = view.getUint32(p, true);
      if (links > l.maxM) fail(`node ${i} has ${links} links at level ${level}, at most ${l.maxM}`);
      for (let j = 0; j < links; j++) {
        const n = view.getUint32(p + 4 + 4 * j, true);
        // A search that steps to n at this level reads n's list of this level: it must have one.
        if (n >= count || (levels[n] as number) < level) {
          fail(`node ${i} links to node ${n} at level ${level}, which is not on that level`);
        }
      }
    }
  }
}
