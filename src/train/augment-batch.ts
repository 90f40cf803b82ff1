/**
 * Training-time augmentation of a batch: each modality whose instance has `augment` gets a
 * seeded variant of its features as `encoderFeatures`; `features`, the reconstruction target,
 * stays as it was. The caller disposes `made` after the step.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Batch, ModalityBatch } from '../data/contract.js';
import type { JointModel } from '../model/joint-model.js';
import { deriveSeed } from '../random/seeded-random.js';

/** The batch with each augmenting modality's encoder input replaced by a seeded variant. */
export function augmentBatch(
  model: Pick<JointModel, 'parts'>,
  batch: Batch,
  seed: number,
): { batch: Batch; made: tf.Tensor[] } {
  const made: tf.Tensor[] = [];
  const inputs: Record<string, ModalityBatch> = { ...batch.inputs };
  for (const part of model.parts) {
    const input = batch.inputs[part.name];
    if (!input || !part.instance.augment) continue;
    const encoderFeatures = part.instance.augment(
      input.features,
      deriveSeed(seed, 'augment', part.name),
    );
    made.push(encoderFeatures);
    inputs[part.name] = { ...input, encoderFeatures };
  }
  return made.length === 0 ? { batch, made } : { batch: { ...batch, inputs }, made };
}
