/**
 * The public API of a trained run given bad input: no modality, an unknown one, a missing or
 * corrupt file, a latent of the wrong length or with non-finite values. Each is a typed error
 * saying what to pass instead.
 */
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRun } from '../../src/api/load-run.js';
import type { LoadedModel } from '../../src/api/loaded-model.js';
import { DataError, UsageError } from '../../src/errors/errors.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { smallMnistConfig } from '../experiment/small-config.js';
import { expectMmaeError, makeTempDir, validPng, type TempDir } from './corpus.js';

let temp: TempDir;
let model: LoadedModel;
beforeAll(async () => {
  temp = await makeTempDir();
  const config = smallMnistConfig({ training: { epochs: 1 } });
  const options = { trainLimit: 100, validationSize: 20, testLimit: 20 };
  const result = await trainJob({
    config: { config: { ...config, dataset: { ...config.dataset, options } }, baseDir: temp.dir },
    out: join(temp.dir, 'run'),
    quiet: true,
    log: () => undefined,
  });
  result.model.dispose();
  model = await loadRun(result.runDir, { backend: 'cpu' });
});
afterAll(async () => {
  model?.dispose();
  await temp.remove();
});

describe('a loaded run given bad input', () => {
  it('encodes a valid PNG into a finite latent of the run size', async () => {
    const code = await model.encode({ image: await validPng() });
    expect(code.length).toBe(model.latentSize);
    expect(code.every(Number.isFinite)).toBe(true);
  });

  it('refuses an input with no modality or an unknown one, listing the run modalities', async () => {
    await expectMmaeError(() => model.encode({}), UsageError, ['image']);
    await expectMmaeError(() => model.encode({ audio: 'a.wav' }), UsageError, ['audio', 'image']);
    await expectMmaeError(
      () => model.decode(new Float32Array(model.latentSize), 'audio'),
      UsageError,
      ['audio'],
    );
  });

  it('refuses a missing, empty or corrupt image file with a DataError naming it', async () => {
    await expectMmaeError(() => model.encode({ image: join(temp.dir, 'missing.png') }), DataError, [
      'missing.png',
    ]);
    const empty = await temp.write('empty.png', new Uint8Array(0));
    await expectMmaeError(() => model.encode({ image: empty }), DataError, ['empty.png']);
    await expectMmaeError(
      () => model.encode({ image: Uint8Array.from([137, 80, 78, 71, 1, 2, 3]) }),
      DataError,
    );
  });

  it('refuses a latent of the wrong length or with non-finite values', async () => {
    await expectMmaeError(() => model.decode([1, 2, 3], 'image'), UsageError, [
      String(model.latentSize),
    ]);
    const latent = new Float32Array(model.latentSize);
    latent[2] = Number.NaN;
    await expectMmaeError(() => model.decode(latent, 'image'), UsageError, ['NaN']);
  });

  it('leaks no tensors through refused inputs or repeated encodes and decodes', async () => {
    const png = await validPng();
    await model.encode({ image: png });
    const before = tf.memory().numTensors;
    for (let i = 0; i < 10; i++) {
      await model.encode({ image: Uint8Array.from([1, 2, 3]) }).catch(() => undefined);
      await model.decode([Number.NaN], 'image').catch(() => undefined);
      const code = await model.encode({ image: png });
      await model.decode(code, 'image');
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
