/**
 * A reader (eval, serve) loading a run while its writer saves sees the previous or the new
 * generation, never a false "checksum mismatch". The two races are staged exactly, with hooks
 * in the file-system facade, and then a reader loops against a writer saving many generations.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import {
  disposeNamedTensors,
  loadCheckpoint,
  nodeRunFs,
  saveCheckpoint,
  type LoadedCheckpoint,
  type RunFs,
} from '../../src/runs/index.js';
import { unsyncedFs } from './fault-fs.js';
import { disposeInput, makeInput, makeTempDir, makeWeights, tensorBytes } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir(true)));
afterEach(() => cleanup());

async function save(seed: number, fs: RunFs = unsyncedFs): Promise<void> {
  const input = makeInput(seed);
  try {
    await saveCheckpoint(dir, input, { fs });
  } finally {
    disposeInput(input);
  }
}

/** The seed a loaded checkpoint was saved from, after checking every weight is that seed's. */
function verifiedSeed(loaded: LoadedCheckpoint): number {
  const seed = (loaded.trainerState as { epoch: number }).epoch;
  const expected = makeWeights(seed);
  expect(tensorBytes(loaded.weights)).toEqual(tensorBytes(expected));
  disposeNamedTensors(expected);
  return seed;
}

async function loadSeed(fs: RunFs = nodeRunFs): Promise<number> {
  const loaded = await loadCheckpoint(dir, { fs });
  try {
    return verifiedSeed(loaded);
  } finally {
    disposeNamedTensors(loaded.weights);
    disposeNamedTensors(loaded.optimizer);
  }
}

/** The real file system, running `action` once right after `path` has been read. */
function afterReading(path: string, action: () => Promise<void>): RunFs {
  let fired = false;
  return {
    ...nodeRunFs,
    async readFile(p) {
      const bytes = await nodeRunFs.readFile(p);
      if (p === path && !fired) {
        fired = true;
        await action();
      }
      return bytes;
    },
  };
}

/** A writer's file system that stops right after weights.bin is replaced, until resumed. */
function pausingAfterWeights(): { fs: RunFs; paused: Promise<void>; resume: () => void } {
  let resume = () => undefined as void;
  let reached = () => undefined as void;
  const gate = new Promise<void>((r) => (resume = r));
  const paused = new Promise<void>((r) => (reached = r));
  const fs: RunFs = {
    ...unsyncedFs,
    async rename(from, to) {
      await unsyncedFs.rename(from, to);
      if (to === join(dir, 'weights.bin')) {
        reached();
        await gate;
      }
    },
  };
  return { fs, paused, resume };
}

describe('loadCheckpoint beside a writer', () => {
  it('gets the new generation when a save commits between reading the manifest and the files', async () => {
    await save(1);
    await save(2);
    const racing = afterReading(join(dir, 'manifest.json'), () => save(3));
    expect(await loadSeed(racing)).toBe(3);
  });

  it('gets a verified generation when the next save rewrites previous/ while the reader falls back to it', async () => {
    await save(1);
    await save(2);
    const writer = pausingAfterWeights();
    const saving3 = save(3, writer.fs);
    await writer.paused; // manifest says 2, weights.bin is 3's, save-in-progress.json exists
    const racing = afterReading(join(dir, 'previous', 'manifest.json'), async () => {
      writer.resume();
      await saving3;
      await save(4); // rewrites previous/ with generation 3 and commits 4
    });
    expect(await loadSeed(racing)).toBe(4);
  });

  it('still reports a mismatch that stays when the manifest is read again', async () => {
    await save(1);
    const { writeFile, readFile } = await import('node:fs/promises');
    const bytes = await readFile(join(dir, 'weights.bin'));
    bytes[3] = (bytes[3] ?? 0) ^ 1;
    await writeFile(join(dir, 'weights.bin'), bytes);
    const error = await loadCheckpoint(dir).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as RunError).message).toMatch(/^checksum mismatch in weights\.bin/);
  });

  it('never fails while a writer saves forty generations, and each load is one whole generation', async () => {
    await save(1);
    const before = tf.memory().numTensors;
    let writing = true;
    const writer = (async () => {
      for (let seed = 2; seed <= 40; seed++) await save(seed);
      writing = false;
    })();
    const seen: number[] = [];
    while (writing) seen.push(await loadSeed());
    await writer;
    seen.push(await loadSeed());
    expect(seen.length).toBeGreaterThan(5);
    expect(seen.at(-1)).toBe(40);
    // Generations never go back by more than the one a fallback to previous/ gives.
    for (let i = 1; i < seen.length; i++) expect(seen[i]!).toBeGreaterThanOrEqual(seen[i - 1]! - 1);
    expect(tf.memory().numTensors).toBe(before);
  });
});
