/**
 * Twenty epochs of a tiny run: the number of live tensors is the same after every epoch from the
 * second on, and the JS heap does not grow with the epoch count.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainJob } from '../../src/experiment/train-job.js';
import { smallMnistConfig } from '../experiment/small-config.js';
import { makeTempDir, type TempDir } from './corpus.js';

const EPOCHS = 20;
const MB = 1024 * 1024;
let temp: TempDir;
beforeAll(async () => (temp = await makeTempDir()));
afterAll(() => temp.remove());

/** Collects garbage when node runs with --expose-gc; the heap bound below allows for it not. */
function collectGarbage(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

describe('a long run', () => {
  it('keeps tf.memory().numTensors flat and the heap bounded over 20 epochs', async () => {
    const base = smallMnistConfig({ training: { epochs: EPOCHS, batchSize: 50 } });
    const config = {
      ...base,
      dataset: { ...base.dataset, options: { trainLimit: 300, validationSize: 50, testLimit: 50 } },
    };
    const tensors: number[] = [];
    const heap: number[] = [];
    const result = await trainJob({
      config: { config, baseDir: temp.dir },
      out: `${temp.dir}/run`,
      quiet: true,
      log: () => undefined,
      onEpoch: () => {
        collectGarbage();
        tensors.push(tf.memory().numTensors);
        heap.push(process.memoryUsage().heapUsed);
      },
    });
    result.model.dispose();

    expect(tensors).toHaveLength(EPOCHS);
    expect(new Set(tensors.slice(1)), `numTensors per epoch: ${tensors.join(', ')}`).toEqual(
      new Set([tensors[1]]),
    );
    const first = heap[1] as number;
    const last = heap.at(-1) as number;
    expect(
      last,
      `heap MB per epoch: ${heap.map((h) => (h / MB).toFixed(1)).join(', ')}`,
    ).toBeLessThan(first * 1.5 + 20 * MB);
    // The run learnt something: its loss fell.
    const losses = result.result.history.map((m) => m.train.total as number);
    expect(losses.at(-1)).toBeLessThan(losses[0] as number);
  });
});
