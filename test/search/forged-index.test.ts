/**
 * Index directories forged by someone who can write the run and recompute index.json's checksum.
 * The HNSW cases load in a child process: hnswlib is native code, and before the graph was
 * validated a forged entry point killed the process with a segfault (exit 139, no message).
 */
import { cp, mkdtemp, rm, symlink, truncate, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import {
  ApproximateIndex,
  ExactIndex,
  loadExactIndex,
  saveApproximateIndex,
  saveExactIndex,
} from '../../src/search/index.js';
import { HEADER, hnswLayout, type HnswLayout } from './hnsw-bytes.js';
import { randomVectors } from './random-vectors.js';
import { loadInChild, type LoadOutcome } from './run-load-child.js';
import { readSaved, writeResigned, type IndexMeta } from './saved-index.js';

const DIMS = 8;
const COUNT = 300;
const gallery = randomVectors(COUNT, DIMS, 21);
const ids = Array.from({ length: COUNT }, (_, i) => `item-${i}`);
const labels = Array.from({ length: COUNT }, (_, i) => i % 10);

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmae-forged-'));
});
afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** Copies the saved index at `from` to a new directory, applies `forge`, and re-signs it. */
async function forgedCopy(
  from: string,
  name: string,
  forge: (payload: Buffer, meta: IndexMeta) => Buffer | void,
): Promise<string> {
  const dir = join(root, name);
  await cp(from, dir, { recursive: true });
  const { meta, payload } = await readSaved(dir);
  const forged = forge(payload, meta) ?? payload;
  await writeResigned(dir, meta, forged);
  return dir;
}

/** A node on level 0 only, and one above it (the graph of M = 4 over 300 nodes has both). */
function nodesByLevel(l: HnswLayout): { flat: number; upper: number } {
  const flat = l.upper.findIndex((u) => u.level === 0);
  const upper = l.upper.findIndex((u, i) => u.level >= 1 && i !== l.entryPoint);
  return { flat, upper };
}

type HnswForgery = readonly [name: string, expected: RegExp, forge: (b: Buffer) => Buffer | void];

const hnswForgeries: readonly HnswForgery[] = [
  ['entry-point-far', /entryPoint is 2147483647/, (b) => void b.writeUInt32LE(0x7fffffff, 52)],
  ['entry-point-count', /entryPoint is 300/, (b) => void b.writeUInt32LE(COUNT, HEADER.entryPoint)],
  [
    'entry-point-low',
    /entry point \d+ sits on level 0/,
    (b) => void b.writeUInt32LE(nodesByLevel(hnswLayout(b)).flat, HEADER.entryPoint),
  ],
  ['max-level-huge', /maxLevel is 1000/, (b) => void b.writeInt32LE(1000, HEADER.maxLevel)],
  ['max-level-negative', /maxLevel is -1/, (b) => void b.writeInt32LE(-1, HEADER.maxLevel)],
  [
    'max-level-plus-one',
    /sits on level \d+, not the top/,
    (b) => void b.writeInt32LE(hnswLayout(b).maxLevel + 1, HEADER.maxLevel),
  ],
  [
    'count-plus-one',
    /curElementCount is 301/,
    (b) => void b.writeBigUInt64LE(301n, HEADER.curElementCount),
  ],
  ['max-elements', /maxElements is 1,/, (b) => void b.writeBigUInt64LE(1n, HEADER.maxElements)],
  [
    'data-size',
    /sizeDataPerElement/,
    (b) => void b.writeBigUInt64LE(b.readBigUInt64LE(24) + 4n, HEADER.sizeDataPerElement),
  ],
  ['mult-nan', /mult is NaN/, (b) => void b.writeDoubleLE(Number.NaN, HEADER.mult)],
  [
    'level0-link-count',
    /node 0 has 65535 level-0 links/,
    (b) => void b.writeUInt32LE(0xffff, hnswLayout(b).level0(0)),
  ],
  [
    'level0-neighbour',
    /node 7 links to node 300 at level 0/,
    (b) => {
      const l = hnswLayout(b);
      b.writeUInt32LE(1, l.level0(7));
      b.writeUInt32LE(COUNT, l.level0(7) + 4);
    },
  ],
  [
    'deleted-mark',
    /node 5 has \d+ level-0 links/,
    (b) => void b.writeUInt8(1, hnswLayout(b).level0(5) + 2),
  ],
  [
    'label-out-of-range',
    /node 3 has label 300/,
    (b) => void b.writeBigUInt64LE(BigInt(COUNT), hnswLayout(b).label(3)),
  ],
  [
    'label-duplicate',
    /label 4 is used by two nodes/,
    (b) => void b.writeBigUInt64LE(4n, hnswLayout(b).label(3)),
  ],
  [
    'vector-nan',
    /stored vector row 9, column 0 is NaN/,
    (b) => void b.writeFloatLE(Number.NaN, hnswLayout(b).vector(9)),
  ],
  [
    'vector-long',
    /stored vector row 9 has length/,
    (b) => void b.writeFloatLE(40, hnswLayout(b).vector(9)),
  ],
  [
    'upper-link-count',
    /links at level 1, at most 4/,
    (b) => {
      const l = hnswLayout(b);
      b.writeUInt32LE(0xffff, l.upperList(nodesByLevel(l).upper, 1));
    },
  ],
  [
    'upper-link-to-flat-node',
    /which is not on that level/,
    (b) => {
      const l = hnswLayout(b);
      const { flat, upper } = nodesByLevel(l);
      b.writeUInt32LE(1, l.upperList(upper, 1));
      b.writeUInt32LE(flat, l.upperList(upper, 1) + 4);
    },
  ],
  [
    'upper-size-odd',
    /bytes of upper links, not a whole number/,
    (b) => void b.writeUInt32LE(3, (hnswLayout(b).upper[0] as { sizeAt: number }).sizeAt),
  ],
  ['truncated-by-one', /run past the file end|ends before/, (b) => b.subarray(0, b.length - 1)],
  ['truncated-to-header', /holds 50 bytes, expected/, (b) => b.subarray(0, 50)],
  [
    'trailing-bytes',
    /8 bytes follow the last link list/,
    (b) => Buffer.concat([b, Buffer.alloc(8)]),
  ],
];

describe('a forged HNSW index directory', () => {
  let saved: string;
  let outcomes: Map<string, LoadOutcome>;
  const dirs = new Map<string, string>();

  beforeAll(async () => {
    saved = join(root, 'hnsw-saved');
    const index = ApproximateIndex.build(gallery, {
      metric: 'cosine',
      dims: DIMS,
      M: 4,
      ids,
      labels,
    });
    await saveApproximateIndex(index, saved);
    dirs.set('untouched', await forgedCopy(saved, 'hnsw-untouched', () => undefined));
    for (const [name, , forge] of hnswForgeries) {
      dirs.set(name, await forgedCopy(saved, `hnsw-${name}`, (payload) => forge(payload)));
    }
    const metaForgeries: [string, (m: IndexMeta) => void][] = [
      ['meta-M', (m) => void (m.M = 5)],
      ['meta-count-1e9', (m) => void (m.count = 1e9)],
      [
        'meta-count-minus-one',
        (m) => {
          m.count = COUNT - 1;
          (m.ids as string[]).pop();
          (m.labels as number[]).pop();
        },
      ],
    ];
    for (const [name, forge] of metaForgeries) {
      dirs.set(name, await forgedCopy(saved, `hnsw-${name}`, (_p, meta) => forge(meta)));
    }
    outcomes = loadInChild([...dirs.values()]);
  });

  it('still loads and searches when nothing was changed but the signature', () => {
    const o = outcomes.get(dirs.get('untouched')!);
    expect(o).toMatchObject({ outcome: 'loaded', hits: 5, finite: true });
  });

  for (const [name, expected] of hnswForgeries) {
    it(`is refused with a RunError naming the field, not a crash: ${name}`, () => {
      const o = outcomes.get(dirs.get(name)!);
      expect(o?.outcome).toBe('RunError');
      expect(o?.message).toMatch(expected);
      expect(o?.message).toContain(join(root, `hnsw-${name}`));
      expect(o?.message).toMatch(/rebuild the index/i);
    });
  }

  it('is refused when index.json no longer agrees with the graph (M, count)', () => {
    expect(outcomes.get(dirs.get('meta-M')!)?.message).toMatch(/holds \d+ bytes|maxM is 4/);
    expect(outcomes.get(dirs.get('meta-count-1e9')!)?.message).toMatch(
      /field 'ids' has 300 entries for count 1000000000/,
    );
    expect(outcomes.get(dirs.get('meta-count-minus-one')!)?.outcome).toBe('RunError');
  });
});

describe('a forged exact index directory', () => {
  let saved: string;
  beforeAll(async () => {
    saved = join(root, 'exact-saved');
    await saveExactIndex(ExactIndex.build(gallery, { metric: 'cosine', dims: DIMS, ids }), saved);
  });

  it('is refused by payload size before decoding when count and ids were raised together', async () => {
    const dir = await forgedCopy(saved, 'exact-count', (_p, meta) => {
      meta.count = COUNT + 1;
      (meta.ids as string[]).push('extra');
    });
    await expect(loadExactIndex(dir)).rejects.toThrow(
      /holds 9600 bytes, expected 9632 for 301 rows × 8 dims/,
    );
  });

  it('is refused before the payload is read when count is 1e9', async () => {
    const dir = await forgedCopy(saved, 'exact-1e9', (_p, meta) => void (meta.count = 1e9));
    await expect(loadExactIndex(dir)).rejects.toThrow(/'ids' has 300 entries for count 1000000000/);
  });

  it('is refused by size, without reading it, when the payload is 10 GB', async () => {
    const dir = await forgedCopy(saved, 'exact-huge', () => undefined);
    const { meta } = await readSaved(dir);
    await truncate(join(dir, meta.payload), 10 * 1024 ** 3);
    const started = performance.now();
    await expect(loadExactIndex(dir)).rejects.toThrow(/holds 10737418240 bytes, expected 9600/);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('is refused by size when index.json is 200 MB', async () => {
    const dir = await forgedCopy(saved, 'exact-huge-meta', () => undefined);
    await truncate(join(dir, 'index.json'), 200 * 1024 ** 2);
    await expect(loadExactIndex(dir)).rejects.toThrow(/index metadata holds 209715200 bytes/);
  });

  it('is refused when the payload is a symbolic link', async () => {
    const dir = await forgedCopy(saved, 'exact-link', () => undefined);
    const { meta } = await readSaved(dir);
    const target = join(root, 'elsewhere.bin');
    await writeFile(target, (await readSaved(saved)).payload);
    await unlink(join(dir, meta.payload));
    await symlink(target, join(dir, meta.payload));
    await expect(loadExactIndex(dir)).rejects.toThrow(/symbolic link/);
  });

  it('is refused when a stored row is not finite or not unit length', async () => {
    for (const [name, value, expected] of [
      ['exact-nan', Number.NaN, /row 4, column 0 is NaN/],
      ['exact-long', 1e30, /row 4 has length/],
    ] as const) {
      const dir = await forgedCopy(saved, name, (payload) => {
        payload.writeFloatLE(value, 4 * DIMS * 4);
      });
      await expect(loadExactIndex(dir)).rejects.toThrow(RunError);
      await expect(loadExactIndex(dir)).rejects.toThrow(expected);
    }
  });
});
