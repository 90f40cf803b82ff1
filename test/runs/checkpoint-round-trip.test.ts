import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { RunError } from '../../src/errors/errors.js';
import { loadCheckpoint, saveCheckpoint, disposeNamedTensors } from '../../src/runs/index.js';
import type { LoadedCheckpoint } from '../../src/runs/index.js';
import { disposeInput, makeInput, makeTempDir, tensorBytes } from './fixtures.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => ({ dir, cleanup } = await makeTempDir()));
afterEach(() => cleanup());

function disposeLoaded(loaded: LoadedCheckpoint): void {
  disposeNamedTensors(loaded.weights);
  disposeNamedTensors(loaded.optimizer);
}

describe('saveCheckpoint and loadCheckpoint', () => {
  it('round-trips weights and optimizer state bit-exactly, in the saved order', async () => {
    const input = makeInput(7);
    await saveCheckpoint(dir, input);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.weights.map((w) => w.name)).toEqual(input.weights.map((w) => w.name));
    expect(tensorBytes(loaded.weights)).toEqual(tensorBytes(input.weights));
    expect(tensorBytes(loaded.optimizer)).toEqual(tensorBytes(input.optimizer ?? []));
    expect(loaded.optimizer[0]?.tensor.dtype).toBe('int32');
    expect(loaded.source).toBe('current');
    disposeLoaded(loaded);
    disposeInput(input);
  });

  it('returns the trainer state, plugin state, config, topology and metadata as saved', async () => {
    const input = makeInput(3);
    await saveCheckpoint(dir, input);
    const loaded = await loadCheckpoint(dir);
    expect(loaded.trainerState).toEqual(input.trainerState);
    expect(loaded.pluginState).toEqual(input.pluginState);
    expect(loaded.config).toEqual(input.config);
    expect(loaded.topology).toEqual(input.topology);
    expect(loaded.metadata).toEqual(input.metadata);
    disposeLoaded(loaded);
    disposeInput(input);
  });

  it('restores an Adam optimizer that then takes exactly the same step as the original', async () => {
    const target = tf.tensor1d([1, -2, 3, 0.5]);
    const loss = (w: tf.Variable) => () => tf.sum(tf.square(tf.sub(w, target))) as tf.Scalar;
    const w = tf.variable(tf.tensor1d([0.1, 0.2, 0.3, 0.4]), true, 'w');
    const adam = tf.train.adam(0.05);
    for (let i = 0; i < 3; i++) adam.minimize(loss(w));
    await saveCheckpoint(dir, {
      weights: [{ name: 'w', tensor: w }],
      optimizer: await adam.getWeights(),
      trainerState: { step: 3 },
    });

    const loaded = await loadCheckpoint(dir);
    const w2 = tf.variable(loaded.weights[0]?.tensor as tf.Tensor, true, 'w2');
    const adam2 = tf.train.adam(0.05);
    await adam2.setWeights(loaded.optimizer);
    adam.minimize(loss(w));
    adam2.minimize(loss(w2));
    expect(tensorBytes([{ name: 'w', tensor: w2 }])).toEqual(tensorBytes([{ name: 'w', tensor: w }]));
    for (const t of [target, w, w2]) t.dispose();
    disposeLoaded(loaded);
    adam.dispose();
    adam2.dispose();
  });

  it('writes model.json as a standard tfjs weights manifest that the tfjs weights loader reads', async () => {
    const input = makeInput(5);
    await saveCheckpoint(dir, input);
    const modelJson = JSON.parse(await readFile(join(dir, 'model.json'), 'utf8'));
    expect(modelJson).toMatchObject({ format: 'mmae-weights', convertedBy: null });
    expect(modelJson.generatedBy).toMatch(/^mmae \d+\.\d+\.\d+/);
    expect(modelJson.weightsManifest[0].paths).toEqual(['weights.bin']);
    // What tf.io.loadWeights(manifest, runUrl + '/') does in a browser, with files for fetch.
    const load = tf.io.weightsLoaderFactory(async (paths) =>
      Promise.all(paths.map(async (path) => new Uint8Array(await readFile(path)).buffer)),
    );
    const map = await load(modelJson.weightsManifest, `${dir}/`);
    const fromLoader = Object.entries(map).map(([name, tensor]) => ({ name, tensor }));
    expect(tensorBytes(fromLoader)).toEqual(tensorBytes(input.weights));
    disposeNamedTensors(fromLoader);
    disposeInput(input);
  });

  it('stores a Keras topology from which the module is rebuilt, predicting bit-identically', async () => {
    const encoder = tf.sequential({
      layers: [
        tf.layers.dense({ inputShape: [4], units: 3, activation: 'relu' }),
        tf.layers.dense({ units: 2 }),
      ],
    });
    const topology = { encoder: encoder.toJSON(null, false) as object };
    const weights = encoder.weights.map((w) => ({ name: `encoder/${w.name}`, tensor: w.read() }));
    await saveCheckpoint(dir, { weights, topology, trainerState: {} });

    const loaded = await loadCheckpoint(dir, {
      expected: weights.map((w) => ({ name: w.name, shape: w.tensor.shape })),
    });
    const rebuilt = await tf.models.modelFromJSON({
      modelTopology: loaded.topology?.encoder as tf.io.ModelJSON['modelTopology'],
    });
    rebuilt.setWeights(loaded.weights.map((w) => w.tensor));
    const x = tf.tensor2d([[0.5, -1, 2, 0.25]]);
    const [a, b] = [encoder.predict(x) as tf.Tensor, rebuilt.predict(x) as tf.Tensor];
    expect(tensorBytes([{ name: 'y', tensor: b }])).toEqual(tensorBytes([{ name: 'y', tensor: a }]));
    for (const t of [x, a, b]) t.dispose();
    disposeLoaded(loaded);
    encoder.dispose();
    rebuilt.dispose();
  });

  it('records versions, times, generation and a checksum for every file in manifest.json', async () => {
    const first = makeInput(1);
    const second = makeInput(2);
    const m1 = await saveCheckpoint(dir, first, { now: () => new Date('2026-01-01T00:00:00Z') });
    const m2 = await saveCheckpoint(dir, second, { now: () => new Date('2026-01-02T00:00:00Z') });
    expect(m1.generation).toBe(1);
    expect(m2.generation).toBe(2);
    expect(m2.createdAt).toBe('2026-01-01T00:00:00.000Z');
    expect(m2.updatedAt).toBe('2026-01-02T00:00:00.000Z');
    expect(m2.tfjsVersion).toBe(tf.version.tfjs);
    expect(m2.nodeVersion).toBe(process.version);
    expect(Object.keys(m2.files).sort()).toEqual(
      ['config.json', 'model.json', 'optimizer.bin', 'optimizer.json', 'state.json', 'weights.bin'].sort(),
    );
    const onDisk = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8'));
    expect(onDisk).toEqual(m2);
    // The first checkpoint is kept, complete, as the fallback for an interrupted save.
    const previous = JSON.parse(await readFile(join(dir, 'previous', 'manifest.json'), 'utf8'));
    expect(previous).toEqual(m1);
    expect((await readdir(dir)).filter((name) => name.includes('.tmp-'))).toEqual([]);
    expect(await readdir(dir)).not.toContain('save-in-progress.json');
    disposeInput(first);
    disposeInput(second);
  });

  it('keeps the last config and plugin state when a later save omits them', async () => {
    const first = makeInput(1);
    const second = makeInput(2);
    await saveCheckpoint(dir, first);
    await saveCheckpoint(dir, { weights: second.weights, trainerState: { epoch: 2 } });
    const loaded = await loadCheckpoint(dir);
    expect(loaded.config).toEqual(first.config);
    expect(loaded.pluginState).toEqual(first.pluginState);
    expect(loaded.trainerState).toEqual({ epoch: 2 });
    expect(loaded.optimizer).toEqual([]);
    expect(tensorBytes(loaded.weights)).toEqual(tensorBytes(second.weights));
    disposeLoaded(loaded);
    disposeInput(first);
    disposeInput(second);
  });

  it('keeps the number of live tensors flat across saving and loading', async () => {
    const input = makeInput(4);
    const before = tf.memory().numTensors;
    await saveCheckpoint(dir, input);
    const loaded = await loadCheckpoint(dir);
    disposeLoaded(loaded);
    expect(tf.memory().numTensors).toBe(before);
    disposeInput(input);
  });

  it('refuses a trainer state holding Infinity, naming the field, before writing anything', async () => {
    const input = makeInput(1);
    const bad = { ...input, trainerState: { epoch: 0, bestValidationLoss: Infinity } };
    const error = await saveCheckpoint(dir, bad).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toContain('trainerState.bestValidationLoss is Infinity');
    expect(await readdir(dir)).toEqual([]);
    disposeInput(input);
  });

  it('refuses two weights with the same name', async () => {
    const input = makeInput(1);
    const first = input.weights[0];
    if (first === undefined) throw new Error('fixture has no weights');
    const error = await saveCheckpoint(dir, { ...input, weights: [first, first] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toContain(`'${first.name}' is used twice`);
    disposeInput(input);
  });

  it('refuses to save into a directory that does not exist, saying how to create it', async () => {
    const input = makeInput(1);
    const missing = join(dir, 'nope');
    const error = await saveCheckpoint(missing, input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RunError);
    expect((error as Error).message).toContain(missing);
    expect((error as Error).message).toContain('createRunDir');
    disposeInput(input);
  });
});
