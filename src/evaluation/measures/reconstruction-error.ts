import * as tf from '@tensorflow/tfjs';
import type { FeatureTable, ModalityBatch } from '../../data/contract.js';
import { iterateBatches } from '../../data/batches.js';
import type { JointModel } from '../../model/joint-model.js';

/**
 * Reconstruction error of modality `target` decoded from the code of modalities `from`, over
 * rows carrying both: mean squared error per feature for float features, token error rate
 * (1 − accuracy) for token ids.
 */
export function reconstructionError(
  model: JointModel,
  table: FeatureTable,
  target: string,
  from: readonly string[] = model.names,
  batchSize = 512,
): number {
  const instance = model.part(target).instance;
  let errorSum = 0;
  let rows = 0;
  const modalities = [...new Set([...from, target])];
  for (const batch of iterateBatches(table, { batchSize, shuffle: false, modalities })) {
    const [sum, count] = tf.tidy(() => {
      const inputs: Record<string, ModalityBatch> = {};
      for (const name of from) inputs[name] = batch.inputs[name]!;
      const z = model.encode(inputs).z;
      const predicted = instance.outputToFeatures(model.decode(target, z));
      const actual = batch.inputs[target]!.features;
      const mask = tf.mul(
        batch.inputs[target]!.present,
        tf.cast(tf.greater(tf.addN(from.map((m) => batch.inputs[m]!.present)), 0), 'float32'),
      );
      // int32 is the modality's declaration of category ids (FeatureSpec.dtype), not a guess:
      // a wrong id is wrong however far it is from the right one, so its error is the rate.
      const perRow =
        instance.featureSpec.dtype === 'int32'
          ? tf.mean(tf.cast(tf.notEqual(predicted, actual), 'float32'), 1)
          : tf.mean(tf.reshape(tf.squaredDifference(predicted, actual), [batch.size, -1]), 1);
      return [tf.sum(tf.mul(perRow, mask)), tf.sum(mask)];
    });
    errorSum += sum!.dataSync()[0]!;
    rows += count!.dataSync()[0]!;
    tf.dispose([sum, count]);
    batch.dispose();
  }
  return rows > 0 ? errorSum / rows : NaN;
}

/**
 * The reconstruction table of a model: table[target].all is the error of each modality decoded
 * from all modalities and, when there are several, table[target][source] from each one alone.
 */
export function reconstructionTable(
  model: JointModel,
  table: FeatureTable,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const target of model.names) {
    out[target] = { all: reconstructionError(model, table, target) };
    if (model.names.length > 1) {
      for (const source of model.names) {
        out[target]![source] = reconstructionError(model, table, target, [source]);
      }
    }
  }
  return out;
}
