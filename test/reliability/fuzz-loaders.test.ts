/**
 * Seeded fuzzing of every loader: random byte strings and mutated valid files (bit flips,
 * truncations, overwritten headers) go into the IDX parser, image, audio and text prepare, the
 * CSV and JSON Lines manifest reader and the YAML config loader. Whatever comes out of a loader
 * that fails is an MmaeError; what comes out of one that succeeds has the promised shape; and
 * nothing hangs (each loader's batch runs under the test timeout).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfigFile, parseConfig } from '../../src/config/load-config.js';
import { IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC, parseIdx } from '../../datasets/mnist/idx.js';
import { ConfigError, DataError, MmaeError } from '../../src/errors/errors.js';
import type { ModalityInstance } from '../../src/modality/contract.js';
import { SeededRandom } from '../../src/random/seeded-random.js';
import { manifestAdapter, parseCsv } from '../../datasets/manifest/index.js';
import { audioPlugin } from '../../plugins/audio/index.js';
import { imagePlugin } from '../../plugins/image/index.js';
import { textPlugin } from '../../plugins/text/index.js';
import {
  idxBytes,
  makeTempDir,
  sine,
  validJpeg,
  validPng,
  wavBytes,
  type TempDir,
} from './corpus.js';

const FUZZ_TIMEOUT = 30_000;

/** Random bytes, or a valid file broken one of several ways. */
function mutant(random: SeededRandom, valid: readonly Uint8Array[]): Uint8Array {
  const kind = random.int(5);
  if (kind === 0 || valid.length === 0) {
    return Uint8Array.from({ length: random.int(600) }, () => random.int(256));
  }
  const source = valid[random.int(valid.length)] as Uint8Array;
  const bytes = Uint8Array.from(source);
  if (kind === 1) {
    // A few bit flips anywhere.
    for (let i = 0, n = 1 + random.int(8); i < n; i++) {
      const at = random.int(bytes.length);
      bytes[at] = (bytes[at] as number) ^ (1 << random.int(8));
    }
    return bytes;
  }
  if (kind === 2) return bytes.subarray(0, random.int(bytes.length));
  if (kind === 3) {
    // Random bytes over the header, where lengths and formats live.
    for (let i = 0, n = 1 + random.int(6); i < n; i++)
      bytes[random.int(Math.min(64, bytes.length))] = random.int(256);
    return bytes;
  }
  // A random slice spliced out of the middle.
  const from = random.int(bytes.length);
  const to = Math.min(bytes.length, from + 1 + random.int(64));
  return Uint8Array.from([...bytes.subarray(0, from), ...bytes.subarray(to)]);
}

interface Tally {
  ok: number;
  refused: number;
}

/** Runs one input; an error other than `expected` fails the test, showing the input. */
async function probe(
  tally: Tally,
  input: Uint8Array | string,
  work: () => unknown,
  expected: new (...args: never[]) => MmaeError = DataError,
) {
  try {
    await work();
    tally.ok++;
  } catch (error) {
    if (!(error instanceof expected)) {
      const shown =
        typeof input === 'string'
          ? JSON.stringify(input.slice(0, 200))
          : `bytes [${Array.from(input.subarray(0, 64)).join(',')}…] (${input.length})`;
      throw new Error(
        `a raw ${(error as Error)?.name} escaped for input ${shown}: ${(error as Error)?.stack}`,
      );
    }
    expect(error.message.length).toBeGreaterThan(0);
    tally.refused++;
  }
}

function allFinite(values: Float32Array | Int32Array): boolean {
  for (const v of values) if (!Number.isFinite(v)) return false;
  return true;
}

let temp: TempDir;
beforeAll(async () => (temp = await makeTempDir()));
afterAll(() => temp.remove());

describe('fuzzed loaders', () => {
  it(
    'parseIdx throws only DataErrors on 3,000 random and mutated IDX files',
    async () => {
      const random = new SeededRandom(101);
      const valid = [idxBytes([5, 4, 4]), idxBytes([12])];
      const tally: Tally = { ok: 0, refused: 0 };
      for (let i = 0; i < 3000; i++) {
        const bytes = mutant(random, valid);
        for (const magic of [IDX_IMAGES_MAGIC, IDX_LABELS_MAGIC]) {
          await probe(tally, bytes, () => {
            const parsed = parseIdx(bytes, 'fuzz.idx', magic);
            expect(parsed.data.length).toBe(parsed.dims.reduce((a, b) => a * b, 1));
          });
        }
      }
      expect(tally.refused).toBeGreaterThan(1000);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'image prepare throws only DataErrors on 1,000 random and mutated PNG and JPEG files',
    async () => {
      const random = new SeededRandom(202);
      const valid = [await validPng(), await validJpeg()];
      const image = imagePlugin.create(imagePlugin.optionsSchema.parse({}), {});
      const tally: Tally = { ok: 0, refused: 0 };
      for (let i = 0; i < 1000; i++) {
        const bytes = mutant(random, valid);
        await probe(tally, bytes, async () => {
          const features = await image.prepare(
            { kind: 'bytes', data: bytes, name: `fuzz-${i}` },
            `fuzz-${i}`,
          );
          expect(features.length).toBe(784);
          expect(allFinite(features)).toBe(true);
        });
      }
      expect(tally.refused).toBeGreaterThan(50);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'audio prepare throws only DataErrors on 1,000 random and mutated WAV files',
    async () => {
      const random = new SeededRandom(303);
      const valid = [
        wavBytes([sine(8000, 0.2)], 8000, '16'),
        wavBytes([sine(8000, 0.2), sine(8000, 0.2, 300)], 8000, '24'),
        wavBytes([sine(11025, 0.2)], 11025, '32f'),
      ];
      const options = audioPlugin.optionsSchema.parse({ durationSeconds: 0.25, melBands: 16 });
      const audio: ModalityInstance = audioPlugin.create(
        options,
        await audioPlugin.fit([{ kind: 'bytes', data: valid[0] as Uint8Array }], options),
      );
      const tally: Tally = { ok: 0, refused: 0 };
      let length = 0;
      for (let i = 0; i < 1000; i++) {
        const bytes = mutant(random, valid);
        await probe(tally, bytes, async () => {
          const features = await audio.prepare(
            { kind: 'bytes', data: bytes, name: `fuzz-${i}.wav` },
            `fuzz-${i}`,
          );
          length ||= features.length;
          expect(features.length).toBe(length);
          expect(allFinite(features)).toBe(true);
        });
      }
      expect(tally.refused).toBeGreaterThan(50);
      expect(tally.ok).toBeGreaterThan(0);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'text prepare of bytes throws only DataErrors on 2,000 random and mutated captions',
    async () => {
      const random = new SeededRandom(404);
      const encoder = new TextEncoder();
      const valid = ['a handwritten seven', 'zéro — un, deux!', '数字 三'].map((t) =>
        encoder.encode(t),
      );
      const options = textPlugin.optionsSchema.parse({ maxLength: 8 });
      const text = textPlugin.create(
        options,
        await textPlugin.fit(
          valid.map((v) => ({ kind: 'text' as const, text: v })),
          options,
        ),
      );
      const tally: Tally = { ok: 0, refused: 0 };
      for (let i = 0; i < 2000; i++) {
        const bytes = mutant(random, valid);
        await probe(tally, bytes, async () => {
          const ids = await text.prepare(
            { kind: 'bytes', data: bytes, name: `caption-${i}` },
            `caption-${i}`,
          );
          expect(ids.length).toBe(8);
        });
      }
      expect(tally.refused).toBeGreaterThan(100);
      expect(tally.ok).toBeGreaterThan(100);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'the manifest reader throws only typed errors on 2,000 random CSV texts and 200 manifests',
    async () => {
      const random = new SeededRandom(505);
      const encoder = new TextEncoder();
      const decoder = new TextDecoder();
      const csv = 'id,image,label,text\n1,a.png,3,"a ""quoted"" three"\n2,b.png,4,four\n';
      const jsonl =
        '{"id": 1, "image": "a.png", "label": 3}\n{"id": 2, "text": "four", "split": "val"}\n';
      const valid = [encoder.encode(csv), encoder.encode(jsonl)];
      const tally: Tally = { ok: 0, refused: 0 };
      for (let i = 0; i < 2000; i++) {
        const source = decoder.decode(mutant(random, valid));
        await probe(tally, source, () => void parseCsv(source, 'fuzz.csv'));
      }
      for (let i = 0; i < 200; i++) {
        const source = decoder.decode(mutant(random, valid));
        const name = `fuzz-${i}.${i % 2 === 0 ? 'csv' : 'jsonl'}`;
        await temp.write(name, source);
        const options = manifestAdapter.optionsSchema.parse({
          path: name,
          allowOutsideRoot: i % 3 === 0,
        });
        // A manifest that parses may still leave no training rows: a ConfigError.
        await probe(
          tally,
          source,
          () => manifestAdapter.load(options, { seed: i, baseDir: temp.dir }),
          MmaeError,
        );
      }
      expect(tally.refused).toBeGreaterThan(100);
    },
    FUZZ_TIMEOUT,
  );

  it(
    'the config loader throws only ConfigErrors on 500 random YAML files and 1,000 random objects',
    async () => {
      const random = new SeededRandom(606);
      const encoder = new TextEncoder();
      const decoder = new TextDecoder();
      const yaml = `name: fuzz
seed: 3
dataset: { id: mnist, options: { trainLimit: 100 } }
modalities:
  - id: image
    options: { hiddenSizes: [64, 32] }
model: { variant: vae, latentSize: 8, beta: 1 }
training:
  epochs: 2
  batchSize: 50
  optimizer: { name: adam, learningRate: 0.001 }
`;
      const tally: Tally = { ok: 0, refused: 0 };
      for (let i = 0; i < 500; i++) {
        const source = decoder.decode(mutant(random, [encoder.encode(yaml)]));
        const path = await temp.write(`fuzz-${i}.yaml`, source);
        await probe(tally, source, () => loadConfigFile(path), ConfigError);
      }
      const values = [null, -1, 0, 1.5, 1e308, NaN, '', 'x', true, [], {}, [1], { id: 'image' }];
      const fields = [
        'name',
        'seed',
        'dataset',
        'modalities',
        'model',
        'training',
        'backend',
        'plugins',
        'fusion',
        'onBadSample',
      ];
      for (let i = 0; i < 1000; i++) {
        const raw: Record<string, unknown> = {
          name: 'fuzz',
          dataset: { id: 'mnist' },
          modalities: [{ id: 'image' }],
        };
        for (let k = 0, n = 1 + random.int(3); k < n; k++) {
          raw[fields[random.int(fields.length)] as string] = values[random.int(values.length)];
        }
        await probe(tally, JSON.stringify(raw), () => void parseConfig(raw, 'fuzz'), ConfigError);
      }
      expect(tally.refused).toBeGreaterThan(300);
    },
    FUZZ_TIMEOUT,
  );
});
