import { tmpdir } from 'node:os';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PluginRegistry } from '../../src/container/registry.js';
import type { RawDataset } from '../../src/data/contract.js';
import { ConfigError, RunError } from '../../src/errors/errors.js';
import type { JointModel } from '../../src/model/joint-model.js';
import type { ModalitySetup } from '../../src/model/modality-instances.js';
import {
  buildModel,
  featuresOf,
  setUpModalities,
  type SavedModel,
} from '../../src/open/model-pipeline.js';
import {
  openDataset,
  registryOfConfig,
  resolveConfig,
  type ResolvedConfig,
} from '../../src/open/pipeline-inputs.js';
import type { NamedTensor } from '../../src/runs/index.js';
import { smallMnistConfig } from '../experiment/small-config.js';
import { useBackend } from '../support/backend.js';

const baseDir = tmpdir();
let resolved: ResolvedConfig;
let registry: PluginRegistry;
let dataset: RawDataset;
let setups: ModalitySetup[];
let trained: JointModel;

/** What a checkpoint of `model` holds: each weight under its saved name, as a copy. */
function savedWeightsOf(model: JointModel): NamedTensor[] {
  return model.namedWeights().map((w) => ({ name: w.name, tensor: w.variable.read().clone() }));
}

function valuesOf(model: JointModel): Map<string, number[]> {
  return new Map(model.namedWeights().map((w) => [w.name, [...w.variable.read().dataSync()]]));
}

beforeAll(async () => {
  await useBackend('cpu');
  const config = smallMnistConfig({ image: { hiddenSizes: [16] } });
  const dataOptions = { trainLimit: 60, validationSize: 20, testLimit: 20 };
  resolved = await resolveConfig({
    config: { ...config, backend: 'cpu', dataset: { ...config.dataset, options: dataOptions } },
    baseDir,
  });
  registry = await registryOfConfig(resolved);
  dataset = await openDataset(resolved.config, registry, baseDir);
  setups = await setUpModalities(resolved.config, registry, { fitOn: dataset.train });
  trained = buildModel(resolved.config, setups, registry, {
    kind: 'fresh',
    configFile: resolved.configFile,
  });
});
afterAll(() => {
  trained.dispose();
});

describe('the model pipeline', () => {
  it('applies command-line overrides to the config and names a config given as a value', async () => {
    const { config, configFile } = await resolveConfig(
      { config: resolved.config, baseDir },
      { epochs: 11, backend: 'wasm' },
    );
    expect(config.training.epochs).toBe(11);
    expect(config.backend).toBe('wasm');
    expect(configFile).toBe('the config');
  });

  it("prepares a split's features with the fitted modalities, one row per sample", async () => {
    const { table, skipped } = await featuresOf(dataset.validation, setups, 'fail');
    expect(table.size).toBe(dataset.validation.size);
    expect(skipped).toEqual([]);
  });

  it('restores modalities from a saved state that prepare the same features as the fitted ones', async () => {
    const pluginState = {
      modalities: Object.fromEntries(
        setups.map((s) => [s.name, { plugin: s.pluginId, state: s.state }]),
      ),
    };
    const restored = await setUpModalities(resolved.config, registry, {
      restoreFrom: { runDir: 'a-run', pluginState },
    });
    const fitted = await featuresOf(dataset.validation, setups, 'fail');
    const again = await featuresOf(dataset.validation, restored, 'fail');
    expect(again.table.columns.image!.data).toEqual(fitted.table.columns.image!.data);
  });

  it('refuses a malformed state.json envelope as a RunError naming the run’s state.json', async () => {
    const restoring = setUpModalities(resolved.config, registry, {
      restoreFrom: { runDir: 'a-run', pluginState: { modalities: 'none' } },
    });
    await expect(restoring).rejects.toThrow(RunError);
    await expect(restoring).rejects.toThrow('a-run/state.json is malformed');
  });

  it('builds a saved model with every weight of its checkpoint', () => {
    const weights = savedWeightsOf(trained);
    const checkpoint: SavedModel = { runDir: 'a-run', weights };
    const model = buildModel(resolved.config, setups, registry, { kind: 'saved', checkpoint });
    try {
      expect(valuesOf(model)).toEqual(valuesOf(trained));
    } finally {
      model.dispose();
      weights.forEach((w) => w.tensor.dispose());
    }
  });

  it('refuses saved weights that do not fit by name, leaving no tensor of the model behind', () => {
    const weights = savedWeightsOf(trained);
    const renamed = weights.map((w, i) => (i === 0 ? { ...w, name: 'not-a-weight' } : w));
    const before = tf.memory().numTensors;
    const checkpoint: SavedModel = { runDir: 'a-run', weights: renamed };
    expect(() =>
      buildModel(resolved.config, setups, registry, { kind: 'saved', checkpoint }),
    ).toThrow(/weight 'not-a-weight' .* is in the checkpoint but not in the model/);
    expect(tf.memory().numTensors).toBe(before);
    weights.forEach((w) => w.tensor.dispose());
  });

  it('builds no model from a run larger than the weights its checkpoint holds', () => {
    const weights = savedWeightsOf(trained).slice(0, 1);
    const before = tf.memory().numTensors;
    const checkpoint: SavedModel = { runDir: 'a-run', weights };
    expect(() =>
      buildModel(resolved.config, setups, registry, { kind: 'saved', checkpoint }),
    ).toThrow(/a-run\/config.json and state.json describe a larger model than a-run\/model.json/);
    expect(tf.memory().numTensors).toBe(before);
    weights.forEach((w) => w.tensor.dispose());
  });

  it('builds a resumed model within the model cap, naming the user’s config when it is exceeded', async () => {
    const weights = savedWeightsOf(trained);
    const checkpoint: SavedModel = { runDir: 'a-run', weights };
    const resumed = buildModel(resolved.config, setups, registry, {
      kind: 'resumed',
      configFile: 'train.yaml',
      checkpoint,
    });
    expect(valuesOf(resumed)).toEqual(valuesOf(trained));
    resumed.dispose();
    const huge = smallMnistConfig({ image: { hiddenSizes: [65_536, 65_536] } });
    const hugeSetups = await setUpModalities(huge, registry, {
      restoreFrom: { runDir: 'a-run', pluginState: undefined },
    });
    const before = tf.memory().numTensors;
    let error: unknown;
    try {
      buildModel(huge, hugeSetups, registry, {
        kind: 'resumed',
        configFile: 'train.yaml',
        checkpoint,
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).message).toMatch(/^train\.yaml: the model would have more than/);
    expect(tf.memory().numTensors).toBe(before);
    weights.forEach((w) => w.tensor.dispose());
  });
});
