/**
 * Seeded kernel initialisers, so that building the same network twice gives the same weights
 * (tf.layers otherwise draws from an unseeded global generator).
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from 'mmae/portable';

export type Initializer = ReturnType<typeof tf.initializers.glorotUniform>;

/** A fresh glorot-uniform initialiser per call, its seed derived from the base seed and a label. */
export function seededInitializers(seed: number, part: string): () => Initializer {
  let index = 0;
  return () => tf.initializers.glorotUniform({ seed: deriveSeed(seed, 'audio', part, index++) });
}
