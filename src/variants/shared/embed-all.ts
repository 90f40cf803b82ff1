import * as tf from '@tensorflow/tfjs';
import type { ModalityBatch } from '../../data/contract.js';
import type { ObjectiveModel } from '../contract.js';

export interface Embedded {
  /** One [b, projectionSize] embedding per model modality, in model order. */
  readonly embeddings: tf.Tensor2D[];
  /** One [b] 0/1 mask per model modality; 0 for modalities the input does not carry. */
  readonly present: tf.Tensor1D[];
}

/**
 * Embeds every modality the input carries. A modality missing from the input altogether gets a
 * zero embedding with presence 0, so fusions and experts leave it out.
 */
export function embedAll(
  model: ObjectiveModel,
  inputs: Readonly<Record<string, ModalityBatch>>,
  presentOverride?: readonly tf.Tensor1D[],
): Embedded {
  const first = Object.values(inputs)[0];
  if (!first) throw new RangeError('encode needs at least one modality in its input');
  const batchSize = first.features.shape[0] as number;
  const embeddings: tf.Tensor2D[] = [];
  const present: tf.Tensor1D[] = [];
  model.names.forEach((name, m) => {
    const input = inputs[name];
    if (input) {
      embeddings.push(model.embed(name, input.encoderFeatures ?? input.features));
      present.push(presentOverride?.[m] ?? input.present);
    } else {
      embeddings.push(tf.zeros([batchSize, model.part(name).projectionSize]));
      present.push(tf.zeros([batchSize]));
    }
  });
  return { embeddings, present };
}

/** Presence masks of a batch, in model order (0 for modalities it does not carry). */
export function presenceOf(
  model: ObjectiveModel,
  inputs: Readonly<Record<string, ModalityBatch>>,
  batchSize: number,
): tf.Tensor1D[] {
  return model.names.map((name) => inputs[name]?.present ?? tf.zeros([batchSize]));
}
