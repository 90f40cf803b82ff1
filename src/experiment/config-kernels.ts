/**
 * Which kernels a configured model's training step needs that a backend lacks: the model is built
 * from the config on a handful of training samples and one step is traced (on cpu, which has
 * every kernel), so `mmae doctor --config` answers before a long run fails halfway.
 */
import { dirname, resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { missingKernels } from '../backend/index.js';
import { loadConfigFile } from '../config/load-config.js';
import { createRegistry } from '../container/create-registry.js';
import { iterateBatches } from '../data/batches.js';
import { prepareFeatures } from '../data/prepare-features.js';
import { subsetSplit } from '../data/splits.js';
import { buildJointModel } from '../model/build-joint-model.js';
import { buildWithinModelCap } from '../model/weight-budget.js';
import { fitModalities } from '../model/setup-modalities.js';
import { openDataset } from '../open/open-dataset.js';

export async function kernelsMissingForConfig(
  configPath: string,
  backendName: string,
): Promise<string[]> {
  const config = await loadConfigFile(configPath);
  const baseDir = dirname(resolve(configPath));
  const registry = await createRegistry({ plugins: config.plugins, baseDir });
  const dataset = await openDataset(config, registry, baseDir);
  const few = subsetSplit(
    dataset.train,
    Array.from({ length: Math.min(16, dataset.train.size) }, (_, i) => i),
  );
  const setups = await fitModalities(config, registry, few);
  const instances = Object.fromEntries(setups.map((s) => [s.name, s.instance]));
  const { table } = await prepareFeatures(few, instances, { onBadSample: 'skip' });
  const model = buildWithinModelCap(configPath, () => buildJointModel(config, setups, registry));
  const batch = iterateBatches(table, { batchSize: table.size, shuffle: false }).next().value!;
  try {
    const context = { step: 0, epochProgress: 0, seed: config.seed, training: true };
    return await missingKernels(() => {
      const { value, grads } = tf.variableGrads(
        () => model.objective.loss(model, batch, context).total,
        model.trainableVariables(),
      );
      tf.dispose([value, grads]);
    }, backendName);
  } finally {
    batch.dispose();
    model.dispose();
  }
}
