/**
 * The similarity scores every retrieval metric ranks by: one matrix product per chunk of queries,
 * never a loop over gallery items.
 */
import * as tf from '@tensorflow/tfjs';

export type SimilarityMetric = 'cosine' | 'euclidean';

/**
 * Scores [c, ng], higher = more similar, of queries `q` against a gallery `g` prepared by
 * `prepareGallery`. Euclidean uses −‖q − g‖², which ranks like distance.
 */
export function similarity(
  q: tf.Tensor2D,
  g: tf.Tensor2D,
  gNormSq: tf.Tensor2D,
  metric: SimilarityMetric,
): tf.Tensor2D {
  if (metric === 'cosine') return q.matMul(g, false, true) as tf.Tensor2D;
  const qNormSq = q.square().sum(1, true);
  return q.matMul(g, false, true).mul(2).sub(qNormSq).sub(gNormSq) as tf.Tensor2D;
}

export function l2Normalise(x: tf.Tensor2D): tf.Tensor2D {
  return x.div(x.square().sum(1, true).sqrt().maximum(1e-12)) as tf.Tensor2D;
}
