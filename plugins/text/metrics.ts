/**
 * Reconstruction quality on a batch, over positions that hold a token (<eos> included):
 * tokenAccuracy, the share of those positions decoded right, and exactMatch, the share of samples
 * with every one right (so the rendered caption equals the original).
 */
import * as tf from '@tensorflow/tfjs';
import { PAD_ID } from './vocabulary.js';

export interface TokenMetrics {
  readonly tokenAccuracy: number;
  readonly exactMatch: number;
}

/** ids [b, L] int32, logits [b, L, V]. */
export function tokenMetrics(ids: tf.Tensor2D, logits: tf.Tensor3D): TokenMetrics {
  const [tokenAccuracy, exactMatch] = tf.tidy(() => {
    const isToken = tf.notEqual(ids, PAD_ID);
    const correct = tf.logicalAnd(tf.equal(tf.argMax(logits, -1), ids), isToken);
    const tokens = tf.sum(tf.cast(isToken, 'float32'));
    const accuracy = tf.div(tf.sum(tf.cast(correct, 'float32')), tf.maximum(tokens, 1));
    const wrong = tf.logicalAnd(isToken, tf.logicalNot(correct));
    const allRight = tf.logicalNot(tf.any(wrong, -1));
    return [accuracy.dataSync()[0] ?? 0, tf.mean(tf.cast(allRight, 'float32')).dataSync()[0] ?? 0];
  });
  return { tokenAccuracy, exactMatch };
}
