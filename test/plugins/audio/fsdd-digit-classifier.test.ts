import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import { audioPlugin } from '../../../plugins/audio/index.js';
import type { RawValue } from '../../../src/data/contract.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { trainClassifier } from './classifier.js';

const RECORDINGS = 120;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fsddDir =
  process.env.MMAE_FSDD_DIR ?? resolve(repoRoot, '../shared/datasets/fsdd/recordings');
const absent = existsSync(fsddDir) ? undefined : `FSDD recordings not found at ${fsddDir}`;
if (absent) console.log(`skipping the FSDD digit classifier test: ${absent} (set MMAE_FSDD_DIR)`);

/** A seeded choice of recordings across digits and speakers, with their digits. */
function pickRecordings(count: number): { raws: RawValue[]; digits: number[] } {
  const names = readdirSync(fsddDir)
    .filter((n) => /^[0-9]_.+\.wav$/.test(n))
    .sort();
  const chosen = new SeededRandom(77).shuffle(names).slice(0, count);
  return {
    raws: chosen.map((name) => ({ kind: 'file', path: join(fsddDir, name) })),
    digits: chosen.map((name) => Number(name[0])),
  };
}

describe.skipIf(absent !== undefined)('a digit classifier on the conv-pool MFCC encoder', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('learns spoken digits from FSDD: cross-entropy falls and most training clips are classified right', async () => {
    const options = audioPlugin.optionsSchema.parse({
      features: 'mfcc',
      deltas: true,
      normalisation: 'utterance',
      dynamicRangeDb: 80,
      architecture: 'conv-pool',
      convFilters: [16, 32, 32],
      embeddingSize: 32,
      seed: 1,
    });
    const { raws, digits } = pickRecordings(RECORDINGS);
    const instance = audioPlugin.create(options, await audioPlugin.fit(raws, options));
    const rows = (await Promise.all(
      raws.map((raw, i) => instance.prepare(raw, `fsdd #${i}`)),
    )) as Float32Array[];
    const result = await trainClassifier(instance, rows, digits, {
      classes: 10,
      epochs: 12,
      batchSize: 24,
      learningRate: 3e-3,
      seed: 2,
    });
    console.log(
      `FSDD conv-pool classifier on ${tf.getBackend()}: cross-entropy ` +
        `${result.initialLoss.toFixed(2)} → ${result.finalLoss.toFixed(2)}, ` +
        `training accuracy ${(100 * result.accuracy).toFixed(0)}%`,
    );
    expect(tf.getBackend()).toBe('wasm');
    expect(result.finalLoss).toBeLessThan(0.5 * result.initialLoss);
    expect(result.accuracy).toBeGreaterThan(0.6);
    expect(result.tensorsAfterLastEpoch).toBe(result.tensorsAfterFirstEpoch);
  });
});
