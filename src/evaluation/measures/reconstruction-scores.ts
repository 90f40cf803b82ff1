import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '../../data/contract.js';
import { iterateBatches } from '../../data/batches.js';
import type { JointModel } from '../../model/joint-model.js';

/** Per-row weighted reconstruction loss from the row's own code: the anomaly score. */
export function reconstructionScores(
  model: JointModel,
  table: FeatureTable,
  batchSize = 512,
): Float32Array {
  const scores = new Float32Array(table.size);
  let row = 0;
  for (const batch of iterateBatches(table, { batchSize, shuffle: false })) {
    const values = tf.tidy(
      () => model.reconstruct(model.encode(batch.inputs).z, batch.inputs).perSample,
    );
    scores.set(values.dataSync(), row);
    values.dispose();
    row += batch.size;
    batch.dispose();
  }
  return scores;
}
