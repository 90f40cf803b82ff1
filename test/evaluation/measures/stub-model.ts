/**
 * A stub joint model and feature tables for the measures' tests, small enough to compute every
 * measure by hand. Each modality carries 2 float features; the code is the mean of the features
 * of the modalities a row carries (latent 2), the decoder is the identity, and the likelihood is
 * x | z ~ N(z, I), so reconstruct's perSample is −log N(x; z, I) summed over carried modalities.
 *
 * With `gaussian`, the stub is a one-modality linear-Gaussian VAE with a known marginal:
 * z ~ N(0, I), x | z ~ N(z, I), so x ~ N(0, 2I), and its encoder is the true posterior
 * N(x/2, I/2): every importance weight is p(x) itself, so the IW-NLL is exact for any K.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureColumn, FeatureTable, ModalityBatch } from '../../../src/data/contract.js';
import type { JointModel } from '../../../src/model/joint-model.js';

export const LATENT = 2;
export const LOG_2PI = Math.log(2 * Math.PI);

export type Point = readonly [number, number];

export interface StubRow {
  readonly label: number;
  readonly a?: Point;
  readonly b?: Point;
}

/** A feature table with columns a and b; a row lacking a modality gets zeros, present 0. */
export function stubTable(rows: readonly StubRow[]): FeatureTable {
  const column = (name: 'a' | 'b'): FeatureColumn => ({
    shape: [LATENT],
    dtype: 'float32',
    data: Float32Array.from(rows.flatMap((r) => [...(r[name] ?? [0, 0])])),
    present: Uint8Array.from(rows, (r) => (r[name] ? 1 : 0)),
  });
  return {
    size: rows.length,
    labels: Int32Array.from(rows, (r) => r.label),
    ids: rows.map((_, i) => `row-${i}`),
    columns: { a: column('a'), b: column('b') },
  };
}

/** The stub's code of a row from `from`: the mean of the carried modalities' features. */
export function codeOf(row: StubRow, from: readonly ('a' | 'b')[]): Point | undefined {
  const carried = from.map((m) => row[m]).filter((p): p is Point => p !== undefined);
  if (carried.length === 0) return undefined;
  return [0, 1].map((j) => carried.reduce((s, p) => s + p[j]!, 0) / carried.length) as never;
}

export function stubModel(
  names: readonly ('a' | 'b')[],
  options: { gaussian?: boolean } = {},
): JointModel {
  const carried = (inputs: Readonly<Record<string, ModalityBatch>>) =>
    names.filter((n) => inputs[n] !== undefined).map((n) => inputs[n]!);
  const model = {
    names,
    latentSize: LATENT,
    encode(inputs: Readonly<Record<string, ModalityBatch>>) {
      const batches = carried(inputs);
      const sum = tf.addN(batches.map((m) => tf.mul(m.features, tf.expandDims(m.present, 1))));
      const count = tf.maximum(tf.addN(batches.map((m) => m.present)), 1);
      const mean = tf.div(sum, tf.expandDims(count, 1)) as tf.Tensor2D;
      if (!options.gaussian) return { z: mean };
      const mu = tf.mul(mean, 0.5) as tf.Tensor2D;
      return { z: mu, posterior: { mu, logvar: tf.fill(mu.shape, Math.log(0.5)) as tf.Tensor2D } };
    },
    decode: (_target: string, z: tf.Tensor2D) => z,
    part: (name: string) => ({
      name,
      weight: 1,
      instance: {
        featureSpec: { shape: [LATENT], dtype: 'float32' },
        outputToFeatures: (output: tf.Tensor) => output,
      },
    }),
    reconstruct(z: tf.Tensor2D, targets: Readonly<Record<string, ModalityBatch>>) {
      const losses = carried(targets).map((m) => {
        const nll = tf.add(tf.mul(tf.sum(tf.squaredDifference(m.features, z), 1), 0.5), LOG_2PI);
        return tf.mul(nll, m.present);
      });
      return { perSample: tf.addN(losses) as tf.Tensor1D };
    },
  };
  return model as unknown as JointModel;
}
