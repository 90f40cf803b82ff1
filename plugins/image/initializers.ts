/**
 * Seeded weight initialisers. tfjs has no global seed, so a layer is reproducible only when its
 * initialiser carries one; each layer derives its own from the build seed and its position.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from 'mmae/portable';

/** Glorot-uniform kernel initialiser; unseeded (tfjs's own randomness) when seed is undefined. */
export function kernelInitializer(
  seed: number | undefined,
  ...labels: (string | number)[]
): ReturnType<typeof tf.initializers.glorotUniform> {
  if (seed === undefined) return tf.initializers.glorotUniform({});
  return tf.initializers.glorotUniform({ seed: deriveSeed(seed, ...labels) });
}
