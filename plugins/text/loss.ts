/**
 * Token reconstruction loss: softmax cross-entropy at each position, summed over the positions
 * that hold a token (<eos> included, <pad> excluded), one value per sample.
 */
import * as tf from '@tensorflow/tfjs';
import { PAD_ID } from './vocabulary.js';

/** ids [b, L] int32, logits [b, L, V] → [b]. */
export function tokenCrossEntropy(ids: tf.Tensor2D, logits: tf.Tensor3D): tf.Tensor1D {
  return tf.tidy(() => {
    const vocabularySize = logits.shape[2];
    const targetLogit = tf.sum(tf.mul(tf.oneHot(ids, vocabularySize), logits), -1);
    const perPosition = tf.sub(tf.logSumExp(logits, -1), targetLogit);
    const isToken = tf.cast(tf.notEqual(ids, PAD_ID), 'float32');
    return tf.sum(tf.mul(perPosition, isToken), -1) as tf.Tensor1D;
  });
}
