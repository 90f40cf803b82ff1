import * as tf from '@tensorflow/tfjs';
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { useWasmBackend } from '../../support/backend.js';
import { audioPlugin } from '../../../plugins/audio/index.js';
import type { RawValue } from '../../../src/data/contract.js';
import { SeededRandom } from '../../../src/random/seeded-random.js';
import { trainAutoencoder } from './autoencoder.js';
import { decodeWav } from '../../../plugins/audio/wav-decode.js';

const RECORDINGS = 200;
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const fsddDir =
  process.env.MMAE_FSDD_DIR ?? resolve(repoRoot, '../shared/datasets/fsdd/recordings');
const absent = existsSync(fsddDir) ? undefined : `FSDD recordings not found at ${fsddDir}`;
if (absent) console.log(`skipping the FSDD audio autoencoder test: ${absent} (set MMAE_FSDD_DIR)`);

/** A seeded choice of recordings across digits and speakers. */
function pickRecordings(count: number): RawValue[] {
  const names = readdirSync(fsddDir)
    .filter((n) => n.endsWith('.wav'))
    .sort();
  const random = new SeededRandom(2024);
  return random
    .shuffle(names)
    .slice(0, count)
    .map((name) => ({ kind: 'file', path: join(fsddDir, name) }));
}

describe.skipIf(absent !== undefined)('the audio autoencoder on FSDD', () => {
  beforeAll(async () => {
    await useWasmBackend();
  });

  it('trains a small dense autoencoder on real spoken digits with falling reconstruction error, then renders a valid WAV', async () => {
    const options = audioPlugin.optionsSchema.parse({ hiddenSizes: [128], embeddingSize: 64 });
    const raws = pickRecordings(RECORDINGS);
    const state = await audioPlugin.fit(raws, options);
    const instance = audioPlugin.create(options, state);
    const rows = (await Promise.all(
      raws.map((raw, i) => instance.prepare(raw, `fsdd #${i}`)),
    )) as Float32Array[];

    const result = await trainAutoencoder(instance, rows, {
      latentSize: 16,
      epochs: 4,
      batchSize: 32,
      learningRate: 1e-3,
      seed: 3,
    });
    console.log(
      `FSDD dense AE on ${tf.getBackend()}: mean loss ${result.initial.toFixed(1)} → ${result.final.toFixed(1)}`,
    );
    expect(tf.getBackend()).toBe('wasm');
    expect(result.final).toBeLessThan(0.7 * result.initial);
    expect(result.tensorsAfterLastEpoch).toBe(result.tensorsAfterFirstEpoch);

    const artefact = await instance.render(rows[0] as Float32Array);
    expect(artefact.kind).toBe('wav');
    if (artefact.kind !== 'wav') return;
    const decoded = decodeWav(artefact.data, 'rendered.wav');
    expect(decoded.sampleRate).toBe(8000);
    expect(decoded.samples.length).toBe(8000);
    expect(decoded.samples.some((v) => Math.abs(v) > 0.01)).toBe(true);
  });
});
