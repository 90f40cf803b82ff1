/**
 * A run's `training.threads` reaches the native kernels through trainJob's backend stage, its
 * log says so, and the trained weights are the same bits on 1 and 2 threads.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../src/backend/index.js';
import { nativeKernels } from '../../src/engine/index.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { loadCheckpoint } from '../../src/runs/index.js';
import { smallMnistConfig } from './small-config.js';

const native = nativeKernels();
let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-threads-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
  await selectBackend('wasm'); // back to the default count
});

/** Trains one epoch with a 512-wide layer (its products are split) on `threads` threads. */
async function train(threads: number): Promise<{ log: string[]; weights: Uint32Array[] }> {
  const log: string[] = [];
  const out = join(dir, `threads-${threads}`);
  const config = smallMnistConfig({
    image: { hiddenSizes: [512] },
    training: { epochs: 1, batchSize: 128, threads },
  });
  const { model } = await trainJob({
    config: { config, baseDir: dir },
    out,
    quiet: true,
    log: (line) => log.push(line),
  });
  model.dispose();
  expect(native!.threads()).toBe(threads);
  const checkpoint = await loadCheckpoint(out);
  const weights = checkpoint.weights.map(
    (w) => new Uint32Array(w.tensor.dataSync().buffer.slice(0)),
  );
  checkpoint.weights.forEach((w) => w.tensor.dispose());
  checkpoint.optimizer.forEach((w) => w.tensor.dispose());
  return { log, weights };
}

describe.skipIf(native === undefined)('training.threads', () => {
  it('sets the native threads of the run, is logged with its reason, and changes no bit of the weights', async () => {
    const one = await train(1);
    const two = await train(2);
    expect(two.log.find((l) => l.startsWith('backend:'))).toMatch(
      /; native kernels on 2 threads \(training\.threads in the config\)$/,
    );
    expect(one.log.find((l) => l.startsWith('backend:'))).toMatch(/on 1 thread \(/);
    expect(two.weights.length).toBe(one.weights.length);
    two.weights.forEach((w, i) => {
      const differs = w.findIndex((bits, j) => bits !== one.weights[i]![j]);
      expect(differs, `weight ${i}`).toBe(-1);
    });
  });
});
