/**
 * Which kernels a configured model's training step needs that a backend lacks: the model pipeline
 * (open/pipeline-inputs.ts, open/model-pipeline.ts) builds the model from the config on a handful
 * of training samples and one step is traced (on cpu, which has every kernel), so
 * `mmae doctor --config` answers before a long run fails halfway.
 */
import * as tf from '@tensorflow/tfjs';
import { missingKernels } from '../backend/index.js';
import { iterateBatches } from '../data/batches.js';
import { subsetSplit } from '../data/splits.js';
import type { ModelKind } from '../backend/index.js';
import { modelKindOf } from '../model/modality-instances.js';
import { buildModel, featuresOf, setUpModalities } from '../open/model-pipeline.js';
import { openDataset, registryOfConfig, resolveConfig } from '../open/pipeline-inputs.js';

/** Enough samples to fit every modality and trace one step, few enough to answer at once. */
const TRACED_SAMPLES = 16;

/** What the config's model runs (dense or conv), as trainJob hands it to backend selection. */
export async function modelKindForConfig(configPath: string): Promise<ModelKind> {
  const resolved = await resolveConfig(configPath);
  return modelKindOf(resolved.config, await registryOfConfig(resolved));
}

export async function kernelsMissingForConfig(
  configPath: string,
  backendName: string,
): Promise<string[]> {
  const resolved = await resolveConfig(configPath);
  const { config, baseDir, configFile } = resolved;
  const registry = await registryOfConfig(resolved);
  const dataset = await openDataset(config, registry, baseDir);
  const few = subsetSplit(
    dataset.train,
    Array.from({ length: Math.min(TRACED_SAMPLES, dataset.train.size) }, (_, i) => i),
  );
  const setups = await setUpModalities(config, registry, { fitOn: few });
  const { table } = await featuresOf(few, setups, 'skip');
  const model = buildModel(config, setups, registry, { kind: 'fresh', configFile });
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
