/**
 * Token reconstruction loss: softmax cross-entropy at each position, summed over the positions
 * that hold a token (<eos> included, <pad> excluded), one value per sample.
 */
import * as tf from '@tensorflow/tfjs';
import { PAD_ID } from './vocabulary.js';

/** ids [b, L] int32, logits [b, L, V] → [b]. */
export function tokenCrossEntropy(ids: tf.Tensor2D, logits: tf.Tensor3D): tf.Tensor1D {
  return tf.tidy(() => {
    const target = tf.oneHot(ids, logits.shape[2]);
    const perPosition = tf.neg(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1));
    const isToken = tf.cast(tf.notEqual(ids, PAD_ID), 'float32');
    return tf.sum(tf.mul(perPosition, isToken), -1) as tf.Tensor1D;
  });
}
