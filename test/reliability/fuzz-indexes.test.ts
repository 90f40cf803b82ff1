/**
 * Seeded fuzzing of saved index directories, both kinds: bit flips, truncations, hnswlib header
 * fields, link counts, neighbour ids and labels overwritten, index.json fields edited, and the
 * checksum recomputed after every mutation as a forger would. Each mutant either loads, and then
 * a search returns k finite hits, or is refused with a RunError. The HNSW mutants load in a child
 * process, so a segfault in hnswlib fails this test instead of killing the test runner.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MmaeError, RunError } from '../../src/errors/errors.js';
import { SeededRandom } from '../../src/random/seeded-random.js';
import {
  ApproximateIndex,
  ExactIndex,
  loadSavedIndex,
  saveApproximateIndex,
  saveExactIndex,
} from '../../src/search/index.js';
import { HEADER, hnswLayout } from '../search/hnsw-bytes.js';
import { randomVectors } from '../search/random-vectors.js';
import { loadInChild } from '../search/run-load-child.js';
import { readSaved, writeResigned, type IndexMeta } from '../search/saved-index.js';

const DIMS = 6;
const COUNT = 200;
const HNSW_MUTANTS = 100;
const EXACT_MUTANTS = 100;

let root: string;
const bases: { kind: 'hnsw' | 'exact'; dir: string }[] = [];

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'mmae-fuzz-indexes-'));
  const gallery = randomVectors(COUNT, DIMS, 5);
  const items = {
    dims: DIMS,
    ids: Array.from({ length: COUNT }, (_, i) => `row-${i}`),
    labels: Array.from({ length: COUNT }, (_, i) => i % 7),
  };
  for (const [metric, M] of [
    ['cosine', 4],
    ['euclidean', 3],
  ] as const) {
    const hnsw = join(root, `base-hnsw-${metric}`);
    await saveApproximateIndex(ApproximateIndex.build(gallery, { ...items, metric, M }), hnsw);
    bases.push({ kind: 'hnsw', dir: hnsw });
    const exact = join(root, `base-exact-${metric}`);
    const index = ExactIndex.build(gallery, { ...items, metric });
    await saveExactIndex(index, exact);
    index.dispose();
    bases.push({ kind: 'exact', dir: exact });
  }
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

/** A value near a boundary that a forger would try, or a random one. */
function edgeValue(random: SeededRandom, count: number): number {
  return random.pick([
    0,
    1,
    count - 1,
    count,
    count + 1,
    0xffff,
    0x7fffffff,
    0xffffffff,
    random.int(2 * count),
  ]);
}

function flipBits(random: SeededRandom, b: Buffer, within = b.length): void {
  for (let i = 0, n = 1 + random.int(8); i < n; i++) {
    const at = random.int(Math.max(1, Math.min(within, b.length)));
    if (at < b.length) b[at] = (b[at] as number) ^ (1 << random.int(8));
  }
}

function editMeta(random: SeededRandom, meta: IndexMeta): void {
  const ids = meta.ids as string[];
  const labels = meta.labels as number[];
  const edits: (() => void)[] = [
    () => void (meta.count = (meta.count as number) + random.pick([-1, 1, 1e9])),
    () => void ids.pop(),
    () => void labels.splice(random.int(labels.length), 1),
    () => void (labels[random.int(labels.length)] = random.int(1000) - 500),
    () => void (ids[random.int(ids.length)] = ''),
    () => void (meta.dims = (meta.dims as number) + random.pick([-1, 1])),
    () => void (meta.metric = meta.metric === 'cosine' ? 'euclidean' : 'cosine'),
    () => {
      meta.count = (meta.count as number) - 1;
      ids.pop();
      labels.pop();
    },
    () => void ('M' in meta ? (meta.M = (meta.M as number) + random.pick([-1, 1])) : 0),
    () => void ('efSearch' in meta ? (meta.efSearch = 1 + random.int(500)) : 0),
  ];
  random.pick(edits)();
}

/** One mutation of a saved HNSW graph. */
function mutateGraph(random: SeededRandom, b: Buffer): Buffer {
  const l = hnswLayout(b);
  const node = random.int(l.count);
  const upperNodes = l.upper.flatMap((u, i) => (u.level > 0 ? [i] : []));
  switch (random.int(8)) {
    case 0:
      flipBits(random, b, random.int(2) ? 128 : b.length);
      return b;
    case 1:
      return b.subarray(0, random.int(b.length));
    case 2: {
      const [field, offset] = random.pick(Object.entries(HEADER));
      if (field === 'maxLevel') b.writeInt32LE(random.pick([-1, 0, l.maxLevel + 1, 1000]), offset);
      else if (field === 'entryPoint') b.writeUInt32LE(edgeValue(random, l.count), offset);
      else if (field === 'mult') b.writeDoubleLE(random.pick([Number.NaN, 0, -1, 1e300]), offset);
      else b.writeBigUInt64LE(BigInt(edgeValue(random, l.count)), offset);
      return b;
    }
    case 3: {
      const value = random.pick([0, 1, l.maxM, l.maxM + 1, l.maxM0, l.maxM0 + 1, 0xffff, 0x10001]);
      if (upperNodes.length > 0 && random.int(2)) {
        const i = random.pick(upperNodes);
        b.writeUInt32LE(value, l.upperList(i, 1 + random.int(l.upper[i]!.level)));
      } else b.writeUInt32LE(value, l.level0(node));
      return b;
    }
    case 4: {
      const id = edgeValue(random, l.count);
      if (upperNodes.length > 0 && random.int(2)) {
        const i = random.pick(upperNodes);
        b.writeUInt32LE(
          id,
          l.upperList(i, 1 + random.int(l.upper[i]!.level)) + 4 + 4 * random.int(l.maxM),
        );
      } else b.writeUInt32LE(id, l.level0(node) + 4 + 4 * random.int(l.maxM0));
      return b;
    }
    case 5:
      b.writeBigUInt64LE(BigInt(random.int(l.count + 2)), l.label(node));
      return b;
    case 6:
      b.writeUInt32LE(
        random.pick([0, 1, 4 * l.maxM + 4, 8 * l.maxM + 8, 0xffffffff]),
        l.upper[node]!.sizeAt,
      );
      return b;
    default:
      b.writeUInt32LE(random.int(0x100000000), l.vector(node) + 4 * random.int(DIMS));
      return b;
  }
}

function mutatePayload(random: SeededRandom, b: Buffer): Buffer {
  switch (random.int(3)) {
    case 0:
      flipBits(random, b);
      return b;
    case 1:
      return b.subarray(0, random.int(b.length));
    default:
      b.writeUInt32LE(random.int(0x100000000), 4 * random.int(b.length / 4));
      return b;
  }
}

async function makeMutant(
  random: SeededRandom,
  kind: 'hnsw' | 'exact',
  n: number,
): Promise<string> {
  const base = random.pick(bases.filter((b) => b.kind === kind));
  const dir = join(root, `${kind}-${n}`);
  await cp(base.dir, dir, { recursive: true });
  const { meta, payload } = await readSaved(dir);
  let forged = payload;
  if (random.int(4) === 0) editMeta(random, meta);
  else forged = kind === 'hnsw' ? mutateGraph(random, payload) : mutatePayload(random, payload);
  await writeResigned(dir, meta, forged);
  return dir;
}

describe('fuzzing saved index directories, re-signed after every mutation', () => {
  it('never crashes hnswlib: each HNSW mutant loads and searches finitely, or is a RunError', async () => {
    const random = new SeededRandom(1401);
    const dirs: string[] = [];
    for (let n = 0; n < HNSW_MUTANTS; n++) dirs.push(await makeMutant(random, 'hnsw', n));
    const outcomes = loadInChild(dirs);
    let refused = 0;
    for (const dir of dirs) {
      const o = outcomes.get(dir);
      if (o?.outcome === 'loaded') {
        expect(o, dir).toMatchObject({ finite: true, hits: o.k });
      } else {
        expect(['RunError', 'StaleIndexError'], `${dir}: ${o?.message}`).toContain(o?.outcome);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(HNSW_MUTANTS / 2);
  });

  it('never lets an exact mutant through unchecked: it searches finitely or is a RunError', async () => {
    const random = new SeededRandom(1402);
    const before = tf.memory().numTensors;
    let refused = 0;
    for (let n = 0; n < EXACT_MUTANTS; n++) {
      const dir = await makeMutant(random, 'exact', n);
      try {
        const index = await loadSavedIndex(dir);
        const query = Float32Array.from({ length: index!.dims }, (_, j) => Math.sin(j + n));
        const [hits = []] = index!.search(query, 5);
        expect(hits).toHaveLength(5);
        expect(
          hits.every((h) => Number.isFinite(h.distance)),
          dir,
        ).toBe(true);
        if (index instanceof ExactIndex) index.dispose();
      } catch (error) {
        expect(error, dir).toBeInstanceOf(MmaeError);
        expect(error, dir).toBeInstanceOf(RunError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(EXACT_MUTANTS / 2);
    expect(tf.memory().numTensors).toBe(before);
  });
});
