import { applyDecoder } from '../../../src/model/apply-decoder.js';
import * as tf from '@tensorflow/tfjs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../../src/errors/errors.js';
import { textPlugin } from '../../../plugins/text/index.js';
import { textOptionsSchema } from '../../../plugins/text/options.js';
import { mnistCaptions } from './fixtures/mnist-captions.js';
import { writeTinyBertModel, type TinyBertModel } from './fixtures/tiny-bert-model.js';
import { useWasmBackend } from '../../support/backend.js';

const DIMENSION = 6;
let model: TinyBertModel;

beforeAll(async () => {
  await useWasmBackend();
  const root = await mkdtemp(join(tmpdir(), 'mmae-text-bert-'));
  const words =
    'a handwritten the digit number sloppy written by hand zero one two three four five six seven eight nine 0 1 2 3 4 5 6 7 8 9 , . ( )';
  model = await writeTinyBertModel(join(root, 'tiny-bert'), words.split(' '), DIMENSION, 11);
});

/** Mean of the model's embedding rows for the given tokens, L2-normalised: the expected vector. */
function expectedVector(tokens: readonly string[]): number[] {
  const mean = Array.from({ length: DIMENSION }, (_, d) => {
    const rows = tokens.map((t) => model.vocab.get(t) ?? model.vocab.get('[UNK]') ?? 0);
    return (
      rows.reduce((s, r) => s + (model.embeddings[r * DIMENSION + d] as number), 0) / rows.length
    );
  });
  const norm = Math.hypot(...mean);
  return mean.map((v) => v / norm);
}

describe('frozen pretrained sentence features', () => {
  it('prepares token ids followed by the mean-pooled, normalised sentence vector', async () => {
    const options = textOptionsSchema.parse({ pretrained: { model: model.dir } });
    const state = await textPlugin.fit([{ kind: 'text', text: 'a handwritten seven' }], options);
    expect(state.pretrainedDimension).toBe(DIMENSION);
    const text = textPlugin.create(options, JSON.parse(JSON.stringify(state)));
    expect(text.featureSpec).toEqual({ shape: [8 + DIMENSION], dtype: 'float32' });

    const row = await text.prepare({ kind: 'text', text: 'A handwritten zebra' }, 'row 0');
    expect(row).toBeInstanceOf(Float32Array);
    expect(await text.render(row)).toEqual({ kind: 'text', text: 'a handwritten <unk>' });
    const vector = Array.from(row.subarray(8));
    const expected = expectedVector(['[CLS]', 'a', 'handwritten', 'zebra', '[SEP]']);
    vector.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
  });

  it('gives finite unit vectors for empty, punctuation-only and 100,000-character captions', async () => {
    const options = textOptionsSchema.parse({ pretrained: { model: model.dir } });
    const text = textPlugin.create(options, await textPlugin.fit([], options));
    for (const caption of ['', '?!', 'seven '.repeat(16_667).slice(0, 100_000)]) {
      const row = await text.prepare({ kind: 'text', text: caption }, 'row 0');
      const vector = Array.from(row.subarray(8));
      expect(vector.every(Number.isFinite)).toBe(true);
      expect(Math.hypot(...vector)).toBeCloseTo(1, 5);
    }
  });

  it('finds a model by id under localModelPath', async () => {
    const options = textOptionsSchema.parse({
      pretrained: { model: basename(model.dir), localModelPath: dirname(model.dir) },
    });
    const state = await textPlugin.fit([{ kind: 'text', text: 'seven' }], options);
    expect(state.pretrainedDimension).toBe(DIMENSION);
  });

  it('names the searched directory when the model is absent and remote loading is off', async () => {
    const missing = join(dirname(model.dir), 'no-such-model');
    const options = textOptionsSchema.parse({ pretrained: { model: missing } });
    const fitting = textPlugin.fit([{ kind: 'text', text: 'seven' }], options);
    await expect(fitting).rejects.toBeInstanceOf(ConfigError);
    await expect(fitting).rejects.toThrow(missing);
  });

  it('names the missing ONNX file when a model directory is incomplete', async () => {
    const incomplete = await writeTinyBertModel(
      join(dirname(model.dir), 'quantized-only'),
      ['seven'],
      DIMENSION,
      1,
    );
    const options = textOptionsSchema.parse({
      pretrained: { model: incomplete.dir, quantized: true },
    });
    const fitting = textPlugin.fit([{ kind: 'text', text: 'seven' }], options);
    await expect(fitting).rejects.toBeInstanceOf(DataError);
    await expect(fitting).rejects.toThrow(/model_quantized\.onnx/);
  });

  it('trains an MLP encoder over the frozen vectors whose decoder reconstructs the tokens', async () => {
    const options = textOptionsSchema.parse({
      pretrained: { model: model.dir },
      embeddingSize: 32,
      hiddenSize: 64,
      seed: 2,
    });
    const raws = mnistCaptions(150, 5).map((c) => ({ kind: 'text', text: c.text }) as const);
    const text = textPlugin.create(options, await textPlugin.fit(raws, options));
    const rows = await Promise.all(raws.map((raw, i) => text.prepare(raw, `caption ${i}`)));
    const width = 8 + DIMENSION;
    const features = tf.tensor2d(
      rows.flatMap((r) => Array.from(r)),
      [rows.length, width],
    );
    const encoder = text.buildEncoder();
    const decoder = text.buildDecoder(32);
    const meanLoss = (): tf.Scalar =>
      tf.tidy(() => {
        const code = encoder.apply(features) as tf.Tensor2D;
        const logits = applyDecoder(text, decoder, code, { training: true, target: features });
        return tf.mean(text.reconstructionLoss(features, logits));
      });
    const initial = tf.tidy(() => meanLoss().dataSync()[0] as number);
    const optimizer = tf.train.adam(0.01);
    for (let step = 0; step < 50; step++) optimizer.minimize(meanLoss);
    const final = tf.tidy(() => meanLoss().dataSync()[0] as number);
    console.log(`[text pretrained] loss ${initial.toFixed(3)} -> ${final.toFixed(3)}`);
    expect(final).toBeLessThan(0.5 * initial);

    const decoded = tf.tidy(() =>
      text.outputToFeatures(
        applyDecoder(text, decoder, encoder.predict(features) as tf.Tensor2D, { training: false }),
      ),
    );
    expect(decoded.shape).toEqual([rows.length, width]);
    tf.dispose([features, decoded]);
    optimizer.dispose();
    encoder.dispose();
    decoder.dispose();
  });
});
