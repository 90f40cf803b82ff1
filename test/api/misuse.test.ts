/**
 * The public API misused as a JavaScript caller can: null and wrong types where the types say
 * otherwise, latents beyond float32, calls after dispose(). Each is a UsageError naming the
 * argument (or a ConfigError for a config), never a TypeError from deep inside.
 */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as mmae from '../../src/index.js';
import { ConfigError, MmaeError, UsageError } from '../../src/errors/errors.js';
import { makeTempDir, validPng, type TempDir } from '../reliability/corpus.js';
import { trainTinyImageRun } from '../reliability/forged-run.js';

let temp: TempDir;
let runDir: string;
let model: mmae.LoadedModel;

beforeAll(async () => {
  temp = await makeTempDir('mmae-misuse-');
  runDir = await trainTinyImageRun(temp.dir, 'run');
  model = await mmae.loadRun(runDir, { backend: 'cpu' });
});
afterAll(async () => {
  model?.dispose();
  await temp.remove();
});

/** Calls `work` as untyped JavaScript would and returns what it threw. */
async function thrown(work: () => unknown): Promise<unknown> {
  try {
    await work();
  } catch (error) {
    return error;
  }
  throw new Error('expected an error');
}

async function expectUsage(work: () => unknown, mentions: string | RegExp): Promise<void> {
  const error = await thrown(work);
  expect(error, String(error)).toBeInstanceOf(UsageError);
  expect((error as Error).message).toMatch(mentions);
}

function untyped<T>(value: unknown): T {
  return value as T;
}

describe('LoadedModel given arguments of the wrong type', () => {
  it.each([
    ['null', null, 'encode(input)'],
    ['a number', 42, 'encode(input)'],
    ['a string', 'digit.png', 'encode(input)'],
    ['an image of null', { image: null }, 'input.image'],
    ['an image of a number', { image: 7 }, 'input.image'],
    ['an image of an unknown kind', { image: { kind: 'video' } }, 'input.image'],
    ['a file value without a path', { image: { kind: 'file' } }, 'input.image'],
    [
      'a decoded image whose data is too short',
      { image: { width: 28, height: 28, channels: 1, data: new Uint8Array(3) } },
      /input\.image .*data holds 3 bytes, not width × height × channels = 28 × 28 × 1 = 784/,
    ],
    [
      "a decoded image of the earlier form, kind: 'image', whose data is too short",
      { image: { kind: 'image', width: 28, height: 28, channels: 1, data: new Uint8Array(3) } },
      /input\.image .*data holds 3 bytes/,
    ],
    [
      "a 'decoded' value without its width",
      { image: { kind: 'decoded', value: { height: 28, channels: 1, data: new Uint8Array(784) } } },
      /input\.image .*the image modality.*width must be a whole number above 0, got undefined/,
    ],
  ])('encode refuses %s with a UsageError naming the argument', async (_, input, mentions) => {
    const before = tf.memory().numTensors;
    await expectUsage(() => model.encode(untyped(input)), mentions);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('decode refuses null, a string and a list of strings as the latent', async () => {
    await expectUsage(() => model.decode(untyped(null), 'image'), /latent must be 8 numbers/);
    await expectUsage(() => model.decode(untyped('12345678'), 'image'), /latent must be 8 numbers/);
    await expectUsage(
      () => model.decode(untyped(Array.from({ length: 8 }, () => '1')), 'image'),
      /latent value 0 is the string "1"/,
    );
  });

  it('decode refuses a modality that is not a name', async () => {
    await expectUsage(() => model.decode(new Float32Array(8), untyped(null)), 'modality');
  });

  it('translate refuses a target of 42 before encoding anything', async () => {
    await expectUsage(
      async () => model.translate({ image: await validPng() }, untyped(42)),
      'translate(input, to): to',
    );
  });

  it('loadRun refuses a path that is not a string and options that are not an object', async () => {
    await expectUsage(() => mmae.loadRun(untyped(null)), 'loadRun(pathOrName)');
    await expectUsage(() => mmae.loadRun(runDir, untyped(null)), 'loadRun(pathOrName, options)');
    await expectUsage(() => mmae.loadRun(runDir, untyped({ plugins: 5 })), 'options).plugins');
    await expectUsage(() => mmae.loadRun(runDir, untyped({ backend: 42 })), 'options).backend');
  });
});

describe('decode given values beyond float32', () => {
  it.each([1e39, -1e39, 3.5e38, Number.MAX_VALUE])(
    'refuses %d with a UsageError naming its index and value',
    async (value) => {
      const latent = new Array<number>(8).fill(0);
      latent[5] = value;
      await expectUsage(() => model.decode(latent, 'image'), `latent value 5 is ${value}`);
    },
  );

  it('still decodes the largest float32 itself', async () => {
    const latent = new Array<number>(8).fill(0);
    latent[2] = 3.4028234663852886e38;
    const decoded = await model.decode(latent, 'image');
    expect(decoded.features.length).toBe(784);
  });
});

describe('the other entry points of src/index.ts given wrong types', () => {
  it.each([
    ['trainJob(null)', () => mmae.trainJob(untyped(null)), 'trainJob(options)'],
    ['trainJob({})', () => mmae.trainJob(untyped({})), 'trainJob(options).config'],
    ['trainJob with a numeric config', () => mmae.trainJob(untyped({ config: 42 })), 'config'],
    [
      'trainJob with epochs "x"',
      () => mmae.trainJob(untyped({ config: 'configs/mnist-standard.yaml', epochs: 'x' })),
      'trainJob(options).epochs',
    ],
    ['evalJob(null)', () => mmae.evalJob(untyped(null)), 'evalJob(run)'],
    ['evalJob with probeRows -5', () => mmae.evalJob('r', untyped({ probeRows: -5 })), 'probeRows'],
    ['createRegistry(null)', () => mmae.createRegistry(untyped(null)), 'createRegistry(options)'],
    [
      'createRegistry with plugins 5',
      () => mmae.createRegistry(untyped({ plugins: 5 })),
      'plugins',
    ],
    [
      'createRegistry with plugins [null]',
      () => mmae.createRegistry(untyped({ plugins: [null] })),
      'plugins.0',
    ],
    ['selectBackend(42)', () => mmae.selectBackend(untyped(42)), 'selectBackend(request)'],
    ['doctorReport(null)', () => mmae.doctorReport(untyped(null)), 'doctorReport(options)'],
  ])('%s is a UsageError naming the argument', async (_, work, mentions) => {
    await expectUsage(work, mentions);
  });

  it('trainJob given an unvalidated config object refuses it as a ConfigError', async () => {
    const error = await thrown(() =>
      mmae.trainJob(untyped({ config: { config: { name: 'x' }, baseDir: '.' } })),
    );
    expect(error).toBeInstanceOf(ConfigError);
  });

  it('parseConfig(null) and loadConfigFile(42) are typed errors', async () => {
    expect(await thrown(() => mmae.parseConfig(null))).toBeInstanceOf(ConfigError);
    expect(await thrown(() => mmae.loadConfigFile(untyped(42)))).toBeInstanceOf(MmaeError);
  });
});

describe('a disposed LoadedModel', () => {
  it('answers encode, decode and translate with a UsageError saying to load the run again', async () => {
    const disposed = await mmae.loadRun(runDir, { backend: 'cpu' });
    const png = await validPng();
    disposed.dispose();
    disposed.dispose();
    const disposedMessage = /this model was disposed; loadRun .* again/;
    await expectUsage(() => disposed.encode({ image: png }), disposedMessage);
    await expectUsage(() => disposed.decode(new Float32Array(8), 'image'), disposedMessage);
    await expectUsage(() => disposed.translate({ image: png }, 'image'), disposedMessage);
    expect(disposed.modalities).toEqual(['image']);
  });

  it('refuses an encode whose model was disposed while its input was read', async () => {
    const disposed = await mmae.loadRun(runDir, { backend: 'cpu' });
    const pending = disposed.encode({ image: await validPng() });
    disposed.dispose();
    await expectUsage(() => pending, /this model was disposed/);
  });
});
