/**
 * trainInMemory (#18): a config and samples in memory train with the same pipeline and trainer as
 * `mmae train`, and the files it gives, written into a folder, are a run loadRun opens with the
 * same codes as the live model.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/api/load-run.js';
import { trainInMemory } from '../../src/api/train-in-memory.js';
import { parseConfig } from '../../src/config/parse-config.js';
import { arraySplit } from '../../src/data/splits.js';
import type { RawSample } from '../../src/data/contract.js';
import { UsageError } from '../../src/errors/errors.js';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { portableImageModule } from '../../plugins/image/portable.js';
import { portableTextModule } from '../../plugins/text/portable.js';

const WORDS = ['zero', 'one', 'two', 'three'];

function samples(n: number, seed: number): RawSample[] {
  const rng = new SeededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = i % 4;
    const data = new Uint8Array(8 * 8);
    for (let p = 0; p < data.length; p++)
      data[p] = (p % 4 === label ? 200 : 0) + Math.floor(rng.next() * 50);
    return {
      id: `s${seed}/${i}`,
      label,
      values: {
        image: { kind: 'decoded', value: { width: 8, height: 8, channels: 1, data } },
        text: { kind: 'text', text: `a drawn ${WORDS[label]}` },
      },
    };
  });
}

const config = parseConfig(
  {
    name: 'in-memory',
    seed: 5,
    dataset: { id: 'mnist-captions', options: { trainLimit: 64 } },
    modalities: [
      { id: 'image', options: { width: 8, height: 8, hiddenSizes: [16], likelihood: 'bernoulli' } },
      { id: 'text', options: { maxLength: 4, embeddingSize: 8, hiddenSize: 8 } },
    ],
    model: { variant: 'poe', latentSize: 4 },
    training: { epochs: 2, batchSize: 16, optimizer: { name: 'adam', learningRate: 0.01 } },
  },
  'in-memory test config',
);

describe('trainInMemory', () => {
  let dir: string;
  beforeAll(async () => {
    await tf.setBackend('cpu');
    dir = await mkdtemp(join(tmpdir(), 'mmae-in-memory-'));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("gives the files of a run that loadRun opens, with the live model's codes", async () => {
    const steps: number[] = [];
    const epochs: number[] = [];
    let between = 0;
    const trained = await trainInMemory({
      config,
      dataset: { train: arraySplit(samples(64, 1)), validation: arraySplit(samples(16, 2)) },
      modules: [portableImageModule, portableTextModule],
      writer: { mmaeVersion: 'test', runtime: 'vitest' },
      progressEvery: 1,
      onStep: (p) => steps.push(p.done),
      onEpoch: (m) => {
        epochs.push(m.epoch);
      },
      betweenSteps: async () => {
        between++;
      },
      now: () => new Date('2026-12-04T03:00:00Z'),
    });
    try {
      expect(epochs).toEqual([0, 1]);
      expect(between).toBe(8); // 64 / 16 per epoch, 2 epochs
      expect(steps).toEqual([1, 2, 3, 4, 1, 2, 3, 4]);
      const files = await trained.runFiles();
      expect([...files.keys()].sort()).toEqual([
        'config.json',
        'manifest.json',
        'metrics.jsonl',
        'model.json',
        'optimizer.bin',
        'optimizer.json',
        'state.json',
        'weights.bin',
      ]);
      const manifest = JSON.parse(new TextDecoder().decode(files.get('manifest.json'))) as {
        generation: number;
        nodeVersion: string;
        files: Record<string, { sha256: string; bytes: number }>;
      };
      expect(manifest.generation).toBe(2);
      expect(manifest.nodeVersion).toBe('vitest');
      for (const [name, entry] of Object.entries(manifest.files)) {
        const bytes = files.get(name)!;
        expect(entry).toEqual({
          sha256: createHash('sha256').update(bytes).digest('hex'),
          bytes: bytes.byteLength,
        });
      }
      expect(Object.keys(manifest.files)).not.toContain('metrics.jsonl');
      const runDir = join(dir, 'run');
      await import('node:fs/promises').then((fs) => fs.mkdir(runDir));
      for (const [name, bytes] of files) await writeFile(join(runDir, name), bytes);
      expect(
        (await readFile(join(runDir, 'metrics.jsonl'), 'utf8')).trim().split('\n'),
      ).toHaveLength(2);
      const loaded = await loadRun(runDir, { backend: 'cpu' });
      try {
        for (const input of [{ text: 'a drawn two' }, { image: samples(1, 9)[0]!.values.image }]) {
          const a = await loaded.encode(input as never);
          const b = await trained.loaded.encode(input as never);
          expect(Array.from(a)).toEqual(Array.from(b));
        }
      } finally {
        loaded.dispose();
      }
      // runFiles frees what it made: calling it again leaves the tensor count where it was.
      const before = tf.memory().numTensors;
      await trained.runFiles();
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      trained.dispose();
    }
  }, 120_000);

  it('refuses missing options and plugins it was not given, by name', async () => {
    await expect(trainInMemory(null as never)).rejects.toThrow(UsageError);
    await expect(
      trainInMemory({
        config,
        dataset: { train: arraySplit([]) },
        modules: [],
        writer: { mmaeVersion: 'x', runtime: 'y' },
      } as never),
    ).rejects.toThrow(/dataset.train and dataset.validation/);
    await expect(
      trainInMemory({
        config,
        dataset: { train: arraySplit(samples(4, 1)), validation: arraySplit([]) },
        modules: [portableImageModule],
        writer: { mmaeVersion: 'x', runtime: 'y' },
      }),
    ).rejects.toThrow(/modality plugin "text"/);
  });
});
