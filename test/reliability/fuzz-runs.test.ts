/**
 * Seeded fuzzing of a run directory as a forger can shape it: fields of config.json, state.json,
 * model.json and optimizer.json replaced by huge, negative or ill-typed values, weight shapes
 * and dtypes edited, bits of weights.bin flipped, and manifest.json re-signed after each change
 * so that every checksum holds. loadRun must then open the run or refuse it with an MmaeError:
 * never a TypeError, RangeError or wasm error, never a crash, with tensors and memory flat.
 */
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/api/load-run.js';
import { MmaeError } from '../../src/errors/errors.js';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { sha256Bytes } from '../../src/runs/index.js';
import { makeTempDir, type TempDir } from './corpus.js';
import { trainTinyImageRun } from './forged-run.js';

const MUTATIONS = 300;
const JSON_FILES = ['config.json', 'state.json', 'model.json', 'optimizer.json'] as const;

/** Values a forger would try: past every bound, negative, fractional, of the wrong type. */
const NASTY: readonly unknown[] = [
  1e9,
  2 ** 31,
  1e308,
  -1,
  0,
  0.5,
  -0,
  'x',
  '',
  null,
  true,
  [],
  [1e9],
  [-1, 2],
  {},
  { kind: 'file' },
  Array.from({ length: 50_000 }, (_, i) => `w${i}`),
];

/**
 * A list long enough that one zod issue per entry overflows the stack: every file must refuse
 * it for its length (config.json, state.json, and the weight lists of model.json and
 * optimizer.json).
 */
const HUGE = Array.from({ length: 200_000 }, (_, i) => (i % 2 ? `w${i}` : -i));

let temp: TempDir;
let run: string;
const original = new Map<string, Buffer>();

beforeAll(async () => {
  temp = await makeTempDir('mmae-fuzz-runs-');
  const trained = await trainTinyImageRun(temp.dir, 'trained');
  run = join(temp.dir, 'fuzzed');
  await cp(trained, run, { recursive: true });
  for (const name of [...JSON_FILES, 'weights.bin', 'manifest.json']) {
    original.set(name, await readFile(join(run, name)));
  }
});
afterAll(() => temp.remove());

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value inside `value` (objects and arrays), the root included. */
function pathsOf(value: Json, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  out.push(prefix);
  if (Array.isArray(value)) {
    // A long array (a vocabulary) contributes a few entries, not all of them.
    value.slice(0, 8).forEach((v, i) => pathsOf(v, [...prefix, i], out));
  } else if (value !== null && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  }
  return out;
}

function setAt(root: Json, path: readonly (string | number)[], value: unknown): Json {
  if (path.length === 0) return value as Json;
  let node = root as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) {
    // An earlier edit of this sample may have replaced a parent by a scalar.
    if (node === null || typeof node !== 'object') return root;
    node = node[key] as Record<string | number, Json>;
  }
  if (node !== null && typeof node === 'object') node[path.at(-1)!] = value as Json;
  return root;
}

/** One mutation of one file: its new bytes, and a line saying what was done. */
function mutate(random: SeededRandom): { file: string; bytes: Buffer; what: string } {
  if (random.int(5) === 0) {
    const bytes = Buffer.from(original.get('weights.bin')!);
    const flips = 1 + random.int(16);
    for (let i = 0; i < flips; i++) {
      const at = random.int(bytes.length);
      bytes[at] = (bytes[at] as number) ^ (1 << random.int(8));
    }
    return { file: 'weights.bin', bytes, what: `${flips} bit flips in weights.bin` };
  }
  const file = JSON_FILES[random.int(JSON_FILES.length)]!;
  let value = JSON.parse(original.get(file)!.toString('utf8')) as Json;
  const paths = pathsOf(value);
  const edits = 1 + random.int(3);
  const done: string[] = [];
  for (let i = 0; i < edits; i++) {
    const path = paths[random.int(paths.length)]!;
    const huge = random.int(8) === 0;
    // A copy: a later edit of this sample may write inside it, and must not change NASTY itself
    // (an edit writing `{}` into the `{}` that replaced the root would make it contain itself).
    const replacement: unknown = structuredClone(huge ? HUGE : NASTY[random.int(NASTY.length)]);
    value = setAt(value, path, replacement);
    const shown = Array.isArray(replacement)
      ? `[${replacement.length} items]`
      : JSON.stringify(replacement);
    done.push(`${path.join('.') || '(root)'} = ${shown}`);
  }
  return { file, bytes: Buffer.from(JSON.stringify(value)), what: `${file}: ${done.join('; ')}` };
}

/** Writes `bytes` as `file` and re-signs the manifest for it, as a forger can. */
async function forge(file: string, bytes: Buffer): Promise<void> {
  await writeFile(join(run, file), bytes);
  const manifest = JSON.parse(original.get('manifest.json')!.toString('utf8')) as {
    files: Record<string, { sha256: string; bytes: number }>;
  };
  manifest.files[file] = { sha256: sha256Bytes(bytes), bytes: bytes.length };
  await writeFile(join(run, 'manifest.json'), JSON.stringify(manifest, null, 2));
}

async function restore(file: string): Promise<void> {
  await writeFile(join(run, file), original.get(file)!);
  await writeFile(join(run, 'manifest.json'), original.get('manifest.json')!);
}

describe('loadRun on a forged, re-signed run directory', () => {
  it(`opens or refuses with an MmaeError each of ${MUTATIONS} seeded mutations`, async () => {
    const random = new SeededRandom(1414);
    const tally = { opened: 0, refused: 0 };
    const before = tf.memory().numTensors;
    const rssBefore = process.memoryUsage().rss;
    for (let i = 0; i < MUTATIONS; i++) {
      const { file, bytes, what } = mutate(random);
      await forge(file, bytes);
      try {
        const model = await loadRun(run, { backend: 'cpu' });
        model.dispose();
        tally.opened++;
      } catch (error) {
        if (!(error instanceof MmaeError)) {
          throw new Error(`mutation ${i} (${what}) gave ${String(error)}`, { cause: error });
        }
        tally.refused++;
      } finally {
        await restore(file);
      }
    }
    expect(tally.opened + tally.refused).toBe(MUTATIONS);
    // Most mutations must be refused; some (a bit flip, a renamed label) may still open.
    expect(tally.refused).toBeGreaterThan(MUTATIONS / 2);
    expect(tf.memory().numTensors).toBe(before);
    expect((process.memoryUsage().rss - rssBefore) / 2 ** 20).toBeLessThan(256);
  }, 120_000);
});
