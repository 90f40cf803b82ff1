import * as tf from '@tensorflow/tfjs';
import type { FeatureTable, ModalityBatch } from '../../data/contract.js';
import { iterateBatches } from '../../data/batches.js';
import type { JointModel } from '../../model/joint-model.js';

/**
 * Encodes every row of a table into the shared latent (posterior mean for VAEs), from the given
 * modalities only (default: all the model has). Rows carrying none of them get NaN codes.
 */
export function encodeTable(
  model: JointModel,
  table: FeatureTable,
  modalities: readonly string[] = model.names,
  batchSize = 512,
): Float32Array {
  const latent = model.latentSize;
  const codes = new Float32Array(table.size * latent);
  let row = 0;
  for (const batch of iterateBatches(table, { batchSize, shuffle: false, modalities })) {
    const values = tf.tidy(() => {
      const inputs: Record<string, ModalityBatch> = {};
      for (const name of modalities) inputs[name] = batch.inputs[name]!;
      const present = tf.addN(modalities.map((m) => inputs[m]!.present));
      const z = model.encode(inputs).z;
      // Rows with nothing to encode from are marked, not silently encoded from zeros.
      return tf.where(
        tf.tile(tf.expandDims(tf.greater(present, 0), 1), [1, latent]),
        z,
        tf.fill(z.shape, NaN),
      );
    });
    codes.set(values.dataSync(), row * latent);
    values.dispose();
    row += batch.size;
    batch.dispose();
  }
  return codes;
}
