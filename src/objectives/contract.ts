/**
 * An objective is one model family: how per-modality embeddings become the shared latent, and
 * what the model minimises. The trainer sees only `loss`; inference sees only `encode`. An
 * objective sees the model through ObjectiveModel, which JointModel implements: the joint model
 * holds its objective, so the contract cannot name the class without a cycle.
 */
import type * as tf from '@tensorflow/tfjs';
import type { Batch, ModalityBatch } from '../data/contract.js';
import type { ModelConfig, Variant } from '../config/schema.js';
import type { Gaussian } from '../distributions/gaussian.js';

/** The parts of the joint model's data path an objective composes into a loss or a code. */
export interface ObjectiveModel {
  /** The modality names, in config order. */
  readonly names: readonly string[];
  part(name: string): { readonly projectionSize: number };
  /** features → encoder → projection, [b, projectionSize]. */
  embed(name: string, features: tf.Tensor): tf.Tensor2D;
  /** Fuses projections; `present` masks are [b] 0/1. */
  fuse(embeddings: readonly tf.Tensor2D[], present: readonly tf.Tensor1D[]): tf.Tensor2D;
  /** Per-modality batch means and the weighted per-sample total [b] of the reconstruction loss. */
  reconstruct(
    z: tf.Tensor2D,
    targets: Readonly<Record<string, ModalityBatch>>,
  ): { perModality: Record<string, tf.Scalar>; perSample: tf.Tensor1D };
  /** Each carried modality's unweighted per-sample loss [b], 0 where a sample lacks it. */
  reconstructionLosses(
    z: tf.Tensor2D,
    targets: Readonly<Record<string, ModalityBatch>>,
  ): Record<string, tf.Tensor1D>;
  /** Per-modality means and the weighted per-sample total of `reconstructionLosses`. */
  weighReconstruction(
    losses: Readonly<Record<string, tf.Tensor1D>>,
    rows: number,
  ): { perModality: Record<string, tf.Scalar>; perSample: tf.Tensor1D };
}

/** What one training or validation step knows besides the batch. */
export interface StepContext {
  readonly step: number;
  /** Fractional epoch (epoch + share of its batches done), for annealing. */
  readonly epochProgress: number;
  /** Seed for this step's random ops, derived from the run seed and the step. */
  readonly seed: number;
  readonly training: boolean;
}

/** The typed record every objective returns. The trainer minimises `total` and logs `terms`. */
export interface LossRecord {
  readonly total: tf.Scalar;
  readonly terms: Readonly<Record<string, tf.Scalar>>;
  /** The code used for reconstruction, for metrics (kept only when asked). */
  readonly z?: tf.Tensor2D;
}

export interface Encoding {
  /** The deterministic code: z itself, or the posterior mean. */
  readonly z: tf.Tensor2D;
  readonly posterior?: Gaussian;
}

/** How wide each part of the model is for this family. */
export interface ObjectiveShapes {
  /** Width of each modality's projection (the embedding that leaves the encoder). */
  readonly projectionSize: number;
  /** Width the fusion produces, or 0 when the family does not use the fusion plugin. */
  readonly fusionOutputSize: number;
}

export interface Objective {
  readonly variant: Variant;
  /** True when the latent is a distribution and the prior can be sampled. */
  readonly probabilistic: boolean;
  shapes(
    latentSize: number,
    fusionInputSize: number,
    fusionNeedsLatentSizedInputs: boolean,
  ): ObjectiveShapes;
  loss(model: ObjectiveModel, batch: Batch, context: StepContext): LossRecord;
  /** Encodes from whichever modalities each sample carries (per-sample subsets). */
  encode(model: ObjectiveModel, inputs: Readonly<Record<string, ModalityBatch>>): Encoding;
}

export type ObjectiveFactory = (config: ModelConfig) => Objective;
