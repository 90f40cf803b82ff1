import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DivergenceError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { loadCheckpoint, readMetrics } from '../../src/runs/index.js';
import { smallMnistConfig } from './small-config.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-train-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const quiet = { quiet: true, log: () => {} };

function weightsOf(
  checkpoint: Awaited<ReturnType<typeof loadCheckpoint>>,
): Map<string, Float32Array> {
  const out = new Map(checkpoint.weights.map((w) => [w.name, w.tensor.dataSync() as Float32Array]));
  checkpoint.weights.forEach((w) => w.tensor.dispose());
  checkpoint.optimizer.forEach((w) => w.tensor.dispose());
  return out;
}

describe('trainJob', () => {
  it('trains the standard autoencoder on MNIST with falling training and validation loss', async () => {
    const out = join(dir, 'standard');
    const { result } = await trainJob({
      config: { config: smallMnistConfig(), baseDir: dir },
      out,
      ...quiet,
    });
    const [first, , last] = result.history;
    expect(last!.train.total).toBeLessThan(0.7 * first!.train.total!);
    expect(last!.validation!.total).toBeLessThan(first!.validation!.total!);
    const metrics = await readMetrics(out);
    expect(metrics).toHaveLength(3);
  });

  it('keeps tf.memory().numTensors flat across epochs, with sampling and gradient clipping', async () => {
    const counts: number[] = [];
    const config = smallMnistConfig({
      variant: 'variational',
      image: { likelihood: 'bernoulli' },
      training: { epochs: 4, clipNorm: 5 },
    });
    const { model } = await trainJob({
      config: { config, baseDir: dir },
      out: join(dir, 'memory'),
      ...quiet,
      onEpoch: () => counts.push(tf.memory().numTensors),
    });
    model.dispose();
    expect(counts, JSON.stringify(counts)).toHaveLength(4);
    expect(new Set(counts.slice(1)).size, JSON.stringify(counts)).toBe(1);
  });

  it('stops early when the validation loss stops improving', async () => {
    const config = smallMnistConfig({
      training: { epochs: 6, earlyStopping: { patience: 1, minDelta: 1e9 } },
    });
    const { result, model } = await trainJob({
      config: { config, baseDir: dir },
      out: join(dir, 'early'),
      ...quiet,
    });
    model.dispose();
    // Epoch 1 sets the best loss; no later epoch can beat it by 1e9, so epoch 2 stops the run.
    expect(result.history).toHaveLength(2);
    expect(result.state.stoppedEarly).toBe(true);
  });

  it('resumes from a checkpoint and ends with the weights of an uninterrupted run', async () => {
    const config = smallMnistConfig({ training: { epochs: 3 } });
    const whole = join(dir, 'whole');
    await trainJob({ config: { config, baseDir: dir }, out: whole, ...quiet });
    const parted = join(dir, 'parted');
    await trainJob({ config: { config, baseDir: dir }, out: parted, epochs: 1, ...quiet });
    await trainJob({
      config: { config, baseDir: dir },
      out: parted,
      epochs: 3,
      resume: true,
      ...quiet,
    });
    const a = weightsOf(await loadCheckpoint(whole));
    const b = weightsOf(await loadCheckpoint(parted));
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [name, values] of a) {
      const other = b.get(name)!;
      let maxDiff = 0;
      values.forEach((v, i) => (maxDiff = Math.max(maxDiff, Math.abs(v - other[i]!))));
      expect(maxDiff, name).toBeLessThan(1e-5);
    }
  });

  it('stops a diverging run with a DivergenceError and keeps the last good checkpoint', async () => {
    const out = join(dir, 'diverge');
    const good = smallMnistConfig({ training: { epochs: 1 } });
    await trainJob({ config: { config: good, baseDir: dir }, out, ...quiet });
    // Bernoulli logits pushed to ~1e38 by one step sum to ±Infinity over 784 pixels, whatever
    // order the kernels add in (a bounded Gaussian loss of saturated outputs need not overflow).
    const absurd = smallMnistConfig({
      training: { epochs: 2, optimizer: { name: 'sgd', learningRate: 1e38 } },
      image: { likelihood: 'bernoulli' },
    });
    await expect(
      trainJob({ config: { config: absurd, baseDir: dir }, out, resume: true, ...quiet }),
    ).rejects.toThrow(DivergenceError);
    const checkpoint = await loadCheckpoint(out);
    expect((checkpoint.trainerState as { epoch: number }).epoch).toBe(1);
    weightsOf(checkpoint);
  });
});
