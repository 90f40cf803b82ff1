import 'reflect-metadata';
import * as tf from '@tensorflow/tfjs';
import { Container } from 'inversify';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '../../../src/container/tokens.js';
import { ConfigError, DataError, RunError, ShapeError } from '../../../src/errors/errors.js';
import type { AnyModalityPlugin } from '../../../src/modality/contract.js';
import textModule, { textPlugin } from '../../../plugins/text/index.js';
import { textOptionsSchema } from '../../../plugins/text/options.js';
import { useWasmBackend } from '../../support/backend.js';

beforeAll(useWasmBackend);

const captions = ['a handwritten seven', 'the digit 7', 'number seven', 'a handwritten one'];
const raws = captions.map((text) => ({ kind: 'text', text }) as const);
const defaults = textOptionsSchema.parse({});

describe('the text plugin', () => {
  it('is contributed to the container as a modality plugin with id text', () => {
    const container = new Container();
    container.load(textModule);
    const plugins = container.getAll<AnyModalityPlugin>(TOKENS.ModalityPlugin);
    expect(plugins.map((p) => p.id)).toEqual(['text']);
  });

  it('resolves empty options to working defaults', () => {
    expect(defaults).toMatchObject({ maxLength: 8, encoder: 'mean', punctuation: 'split' });
  });

  it('fits a JSON-serialisable state that create accepts after a round trip', async () => {
    const state = await textPlugin.fit(raws, defaults);
    const reloaded = JSON.parse(JSON.stringify(state)) as unknown;
    const text = textPlugin.create(defaults, reloaded as typeof state);
    const ids = await text.prepare({ kind: 'text', text: 'The digit 7' }, 'row 0');
    expect(await text.render(ids)).toEqual({ kind: 'text', text: 'the digit 7' });
  });

  it('declares int32 [maxLength] features and prepares rows of that length', async () => {
    const options = textOptionsSchema.parse({ maxLength: 5 });
    const text = textPlugin.create(options, await textPlugin.fit(raws, options));
    expect(text.featureSpec).toEqual({ shape: [5], dtype: 'int32' });
    const row = await text.prepare({ kind: 'text', text: 'number seven' }, 'row 0');
    expect(row).toBeInstanceOf(Int32Array);
    expect(row).toHaveLength(5);
  });

  it('prepares captions from .txt files and from UTF-8 bytes', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mmae-text-'));
    const path = join(dir, 'one.txt');
    await writeFile(path, 'A handwritten one');
    const text = textPlugin.create(
      defaults,
      await textPlugin.fit([{ kind: 'file', path }], defaults),
    );
    const fromFile = await text.prepare({ kind: 'file', path }, 'row 0');
    const fromBytes = await text.prepare(
      { kind: 'text', text: new TextEncoder().encode('a handwritten one') },
      'row 1',
    );
    expect(Array.from(fromFile)).toEqual(Array.from(fromBytes));
    expect(await text.render(fromFile)).toEqual({ kind: 'text', text: 'a handwritten one' });
  });

  it('fails fitting on invalid UTF-8 with a DataError naming the training caption', async () => {
    const bad = [...raws, { kind: 'text', text: Uint8Array.from([0xc3, 0x28]) } as const];
    await expect(textPlugin.fit(bad, defaults)).rejects.toThrow(DataError);
    await expect(textPlugin.fit(bad, defaults)).rejects.toThrow(/training caption #4/);
  });

  it('rejects invalid options with a ConfigError naming the field', () => {
    const run = (): unknown => textPlugin.create({ ...defaults, maxLength: 1 }, { vocabulary: [] });
    expect(run).toThrow(ConfigError);
    expect(run).toThrow(/maxLength/);
  });

  it('rejects a tampered state with a RunError', () => {
    const swapped = { vocabulary: ['<unk>', '<pad>', '<bos>', '<eos>', 'a'] };
    expect(() => textPlugin.create(defaults, swapped)).toThrow(RunError);
    expect(() => textPlugin.create(defaults, { vocabulary: 'a b' } as never)).toThrow(RunError);
  });

  it('rejects a state fitted with pretrained features when the options have none', async () => {
    const state = { ...(await textPlugin.fit(raws, defaults)), pretrainedDimension: 6 };
    expect(() => textPlugin.create(defaults, state)).toThrow(/pretrained features/);
  });

  it('decodes logits to argmax ids and renders them up to <eos>', async () => {
    const state = await textPlugin.fit(raws, defaults);
    const text = textPlugin.create(defaults, state);
    const target = await text.prepare({ kind: 'text', text: 'number seven' }, 'row 0');
    const vocabularySize = state.vocabulary.length;
    const logits = tf.tidy(() =>
      tf.oneHot(tf.tensor2d([Array.from(target)], [1, 8], 'int32'), vocabularySize).mul(4),
    );
    const features = text.outputToFeatures(logits);
    expect(features.shape).toEqual([1, 8]);
    expect(features.dtype).toBe('int32');
    const rendered = await text.render(Int32Array.from(features.dataSync()));
    expect(rendered).toEqual({ kind: 'text', text: 'number seven' });
    const targetTensor = tf.tensor2d([Array.from(target)], [1, 8], 'int32');
    expect(text.metrics?.(targetTensor, logits)).toEqual({ tokenAccuracy: 1, exactMatch: 1 });
    const loss = text.reconstructionLoss(targetTensor, logits);
    expect(loss.shape).toEqual([1]);
    tf.dispose([logits, features, targetTensor, loss]);
  });

  it('builds a decoder from latent to [maxLength, vocabulary] logits', async () => {
    const state = await textPlugin.fit(raws, defaults);
    const text = textPlugin.create(defaults, state);
    const decoder = text.buildDecoder(16);
    expect(decoder.outputs[0]?.shape).toEqual([null, 8, state.vocabulary.length]);
    decoder.dispose();
  });

  it('rejects decoder output of the wrong shape with a ShapeError naming both shapes', async () => {
    const text = textPlugin.create(defaults, await textPlugin.fit(raws, defaults));
    const target = tf.tensor2d([[4, 5, 3, 0, 0, 0, 0, 0]], [1, 8], 'int32');
    const logits = tf.zeros([1, 6, 10]);
    expect(() => text.reconstructionLoss(target, logits)).toThrow(ShapeError);
    expect(() => text.reconstructionLoss(target, logits)).toThrow(/\[1, 6, 10\].*\[batch, 8, 12\]/);
    tf.dispose([target, logits]);
  });

  it('leaves no tensors behind in loss, metrics and decoding', async () => {
    const text = textPlugin.create(defaults, await textPlugin.fit(raws, defaults));
    const target = tf.tensor2d([[4, 5, 3, 0, 0, 0, 0, 0]], [1, 8], 'int32');
    const logits = tf.randomNormal([1, 8, 12], 0, 1, 'float32', 1);
    const before = tf.memory().numTensors;
    tf.dispose(text.reconstructionLoss(target, logits));
    text.metrics?.(target, logits);
    tf.dispose(text.outputToFeatures(logits));
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([target, logits]);
  });
});
