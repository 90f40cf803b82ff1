import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors/errors.js';
import { kernelsMissingForConfig } from '../../src/experiment/config-kernels.js';
import { useBackend } from '../support/backend.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mmae-config-kernels-'));
  await useBackend('cpu');
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A tiny MNIST config file, as `mmae doctor --config` is given one. */
async function configFile(name: string, hiddenSizes: number[]): Promise<string> {
  const path = join(dir, `${name}.json`);
  const config = {
    name,
    seed: 3,
    dataset: { id: 'mnist', options: { trainLimit: 40, validationSize: 10, testLimit: 10 } },
    modalities: [{ id: 'image', options: { hiddenSizes, likelihood: 'bernoulli' } }],
    model: { variant: 'variational', latentSize: 4 },
  };
  await writeFile(path, JSON.stringify(config));
  return path;
}

describe('kernelsMissingForConfig', () => {
  it('finds every kernel of a training step on cpu, and leaves no tensor behind', async () => {
    const path = await configFile('on-cpu', [16]);
    const before = tf.memory().numTensors;
    expect(await kernelsMissingForConfig(path, 'cpu')).toEqual([]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it("lists the training step's kernels, gradients included, for a backend that has none", async () => {
    const path = await configFile('nowhere', [16]);
    const missing = await kernelsMissingForConfig(path, 'no-such-backend');
    expect(missing).toEqual([...missing].sort());
    expect(missing).toEqual(expect.arrayContaining(['_FusedMatMul', 'Relu', 'Sum']));
    // Relu's gradient runs Step: the step traced is a training step, not only a forward pass.
    expect(missing).toContain('Step');
  });

  it('refuses a config past the model cap as a ConfigError naming the file, before allocating', async () => {
    const path = await configFile('too-large', [65_536, 65_536]);
    const before = tf.memory().numTensors;
    const error = await kernelsMissingForConfig(path, 'cpu').then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toContain(path);
    expect((error as ConfigError).message).toMatch(/more than 268435456 weight values/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
