/**
 * Modality dropout, for the variants that encode through one fused code (standard, sparse,
 * stacked, variational): for a share `rate` of samples, keeps exactly one of the modalities they
 * carry (chosen at random) for encoding, while the loss still reconstructs all of them. This makes
 * unimodal codes land where the joint code lands. The expert families train their unimodal
 * posteriors by their objective instead, and take no such option.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { Batch } from '../../data/contract.js';
import { deriveSeed } from '../../random/seeded-random.js';
import type { ObjectiveModel, StepContext } from '../contract.js';
import { presenceOf } from './embed-all.js';

export const modalityDropoutOption = {
  /** Share of training samples that are encoded from one of their modalities only. */
  modalityDropout: z.number().min(0).max(1).default(0),
};

/**
 * Pure tensor ops, seeded per step, so resumption replays it. A sample with one modality, and a
 * batch of a single-modality model, is never touched.
 */
export function dropModalities(
  present: readonly tf.Tensor1D[],
  rate: number,
  seed: number,
): tf.Tensor1D[] {
  if (!(rate >= 0 && rate <= 1)) {
    throw new RangeError(
      `modality dropout share (model.modalityDropout) must be in [0, 1], got ${rate}`,
    );
  }
  if (rate === 0 || present.length < 2) return [...present];
  const batchSize = present[0]!.shape[0];
  const stacked = tf.stack(present as tf.Tensor1D[], 1) as tf.Tensor2D; // [b, M]
  const selected = tf.less(
    tf.randomUniform([batchSize], 0, 1, 'float32', deriveSeed(seed, 'drop')),
    rate,
  );
  const scores = tf.mul(
    tf.add(
      tf.randomUniform([batchSize, present.length], 0, 1, 'float32', deriveSeed(seed, 'keep')),
      1e-3,
    ),
    stacked,
  );
  const keepOne = tf.oneHot(tf.argMax(scores, 1), present.length).toFloat() as tf.Tensor2D;
  const kept = tf.where(tf.expandDims(selected, 1).tile([1, present.length]), keepOne, stacked);
  return tf.unstack(kept, 1) as tf.Tensor1D[];
}

/**
 * The presence masks a batch is encoded with, in model order: the batch's own, after modality
 * dropout at `rate` while training (the loss still reconstructs every carried modality).
 */
export function encodingPresence(
  model: ObjectiveModel,
  batch: Batch,
  context: StepContext,
  rate: number,
): tf.Tensor1D[] {
  const present = presenceOf(model, batch.inputs, batch.size);
  return context.training ? dropModalities(present, rate, context.seed) : present;
}
