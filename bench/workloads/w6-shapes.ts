/**
 * W6's data, made offline and seeded: 64×64 RGB images of one to three coloured shapes (disc,
 * square, triangle; random size, position and colour) on a vertical two-colour gradient. Writes
 * them once per (seed, train, test) under the system's temp folder, as PNG files with a manifest
 * (`manifest.csv`: id, image, split, label = the first shape's kind) for mmae's `manifest`
 * dataset, and as one raw file (`images.u8`: train then test, HWC bytes) for the PyTorch
 * reference. Prints `{dir, train, test, order}`: `order` is each epoch's row order as mmae's
 * trainer visits the train split (`epochOrder`), for the reference.
 *
 *   tsx bench/workloads/w6-shapes.ts [--train 5000] [--test 1000] [--seed 42] [--epochs 1]
 */
import { existsSync } from 'node:fs';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { epochOrder } from '../../src/data/batches.js';
import { SeededRandom, deriveSeed } from '../../src/random/seeded-random.js';
import { intArg, isMain, parseArgs } from './cli-args.js';

export const W6_SIZE = 64;
const SHAPES = ['disc', 'square', 'triangle'] as const;

type Rgb = readonly [number, number, number];

const colour = (r: SeededRandom): Rgb => [r.int(256), r.int(256), r.int(256)];

/** Is (x, y) inside the shape centred at (cx, cy) with half-size s? */
function inside(
  kind: (typeof SHAPES)[number],
  x: number,
  y: number,
  cx: number,
  cy: number,
  s: number,
) {
  const dx = x - cx;
  const dy = y - cy;
  if (kind === 'disc') return dx * dx + dy * dy <= s * s;
  if (kind === 'square') return Math.abs(dx) <= s && Math.abs(dy) <= s;
  // Upright triangle: apex at (cx, cy − s), base from (cx ± s, cy + s).
  return dy <= s && dy >= -s && Math.abs(dx) <= (dy + s) / 2;
}

/** Image `index` of the set made with `seed`: HWC bytes and the first shape's kind. */
export function shapeImage(seed: number, index: number): { pixels: Uint8Array; label: number } {
  const r = new SeededRandom(deriveSeed(seed, 'w6-image', index));
  const n = W6_SIZE;
  const pixels = new Uint8Array(n * n * 3);
  const top = colour(r);
  const bottom = colour(r);
  for (let y = 0; y < n; y++) {
    const t = y / (n - 1);
    for (let x = 0; x < n; x++) {
      for (let c = 0; c < 3; c++) {
        pixels[(y * n + x) * 3 + c] = Math.round(top[c]! * (1 - t) + bottom[c]! * t);
      }
    }
  }
  const count = 1 + r.int(3);
  let label = 0;
  for (let k = 0; k < count; k++) {
    const kind = r.int(SHAPES.length);
    if (k === 0) label = kind;
    const s = 5 + r.int(12);
    const cx = s + r.int(n - 2 * s);
    const cy = s + r.int(n - 2 * s);
    const fill = colour(r);
    for (let y = Math.max(0, cy - s); y <= Math.min(n - 1, cy + s); y++) {
      for (let x = Math.max(0, cx - s); x <= Math.min(n - 1, cx + s); x++) {
        if (!inside(SHAPES[kind]!, x, y, cx, cy, s)) continue;
        pixels.set(fill, (y * n + x) * 3);
      }
    }
  }
  return { pixels, label };
}

/** Writes the set (once; a complete set has its `done` marker) and returns its folder. */
export async function ensureShapes(seed: number, train: number, test: number): Promise<string> {
  const dir = join(tmpdir(), 'mmae-bench-w6', `seed${seed}-train${train}-test${test}`);
  if (existsSync(join(dir, 'done'))) return dir;
  const partial = `${dir}.partial-${process.pid}`;
  await rm(partial, { recursive: true, force: true });
  await mkdir(join(partial, 'images'), { recursive: true });
  const total = train + test;
  const raw = new Uint8Array(total * W6_SIZE * W6_SIZE * 3);
  const rows = ['id,image,split,label'];
  for (let i = 0; i < total; i++) {
    const { pixels, label } = shapeImage(seed, i);
    raw.set(pixels, i * pixels.length);
    const file = `images/${String(i).padStart(6, '0')}.png`;
    await sharp(pixels, { raw: { width: W6_SIZE, height: W6_SIZE, channels: 3 } })
      .png()
      .toFile(join(partial, file));
    rows.push(`w6-${i},${file},${i < train ? 'train' : 'test'},${SHAPES[label]}`);
  }
  await writeFile(join(partial, 'manifest.csv'), rows.join('\n') + '\n');
  await writeFile(join(partial, 'images.u8'), raw);
  await writeFile(join(partial, 'done'), '');
  await rm(dir, { recursive: true, force: true });
  await rename(partial, dir);
  return dir;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const seed = intArg(args, 'seed', 42);
  const train = intArg(args, 'train', 5000);
  const test = intArg(args, 'test', 1000);
  const epochs = intArg(args, 'epochs', 1);
  const dir = await ensureShapes(seed, train, test);
  const order = Array.from({ length: epochs }, (_, e) => Array.from(epochOrder(train, seed, e)));
  process.stdout.write(JSON.stringify({ dir, train, test, size: W6_SIZE, order }));
}

if (isMain(import.meta.url)) await main();
