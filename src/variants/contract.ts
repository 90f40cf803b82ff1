/**
 * The variant contract. A variant is one word a config writes in `model.variant` (standard,
 * sparse, stacked, variational, poe, moe, mopoe, jmvae, or a user's), registered like a modality
 * or a fusion: a declarative record with its own options, whether it encodes through the
 * config's fusion, its objective, and optionally a training phase before the main one and a
 * section of the evaluation report.
 *
 * The objective is the model family: how per-modality embeddings become the shared latent, and
 * what the model minimises. The trainer sees only `loss`; inference sees only `encode`. An
 * objective sees the model through ObjectiveModel, which JointModel implements: the joint model
 * holds its objective, so the contract cannot name the class without a cycle.
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { ModelConfig, TrainingConfig } from '../config/schema.js';
import type { Batch, FeatureSpec, FeatureTable, ModalityBatch } from '../data/contract.js';
import type { Gaussian } from '../distributions/gaussian.js';

/**
 * The container's service identifier for variants (TOKENS.Variant): declared with the contract so
 * that the built-in variants bind to it without importing the container that collects them.
 */
export const VARIANT_TOKEN: unique symbol = Symbol.for('mmae.Variant');

/** The parts of the joint model's data path an objective composes into a loss or a code. */
export interface ObjectiveModel {
  /** The modality names, in config order. */
  readonly names: readonly string[];
  part(name: string): { readonly projectionSize: number };
  /** features → encoder → projection, [b, projectionSize]. */
  embed(name: string, features: tf.Tensor): tf.Tensor2D;
  /**
   * Fuses projections with the config's fusion; `present` masks are [b] 0/1. Only a variant with
   * `usesFusion: true` may call it.
   */
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

/** A named term of a loss record's total, with the weight it has there at this step. */
export interface Regulariser {
  /** The term's batch mean, before its weight. */
  readonly value: tf.Scalar;
  /** Its weight in `total` at this step: β (after annealing), α, λ, or 1. */
  readonly weight: number;
}

/**
 * The one loss record every variant returns. The trainer minimises `total` and logs the rest
 * under the names of `namedLossTerms` (variants/loss-terms.ts), never asking which variant made it.
 *
 * Its parts add up: total = reconstruction + Σ_r regularisers[r].weight · regularisers[r].value,
 * to float rounding. The one built-in exception is an importance-weighted bound (moe with
 * importanceSamples > 1), which is tighter than that sum: its total is at most the sum.
 */
export interface LossRecord {
  /** What training minimises. */
  readonly total: tf.Scalar;
  /** The weighted reconstruction loss of the joint code, summed over modalities, batch mean. */
  readonly reconstruction: tf.Scalar;
  /**
   * Each carried modality's unweighted reconstruction loss, batch mean, keyed by modality name:
   * the parts of `reconstruction` before the modalities' weights.
   */
  readonly reconstructionByModality: Readonly<Record<string, tf.Scalar>>;
  /**
   * Every other term of `total`, by name, each one quantity: a penalty on the code (`sparsity`),
   * a KL (`kl`, to the prior; `alignment`, jmvae's joint-to-unimodal KLs), or one part of an
   * auxiliary sub-objective, named `<sub-objective>.<part>` (poe's single-modality ELBOs:
   * `unimodal.<modality>.reconstruction` and `unimodal.<modality>.kl`).
   */
  readonly regularisers: Readonly<Record<string, Regulariser>>;
  /**
   * Each row's code, [b, latentSize]: the code `encode` gives the row, from the modalities the
   * step encoded (after modality dropout while training). That is z for a deterministic variant
   * and the mean of the joint posterior for a probabilistic one; for a mixture, the code its
   * `encode` defines (moe: the mixture's mean; mopoe: the product of the carried experts, its
   * own component of the mixture). A variant may compute it on first read (a getter), since
   * training steps never read it; read it inside the step's tf scope, where its inputs live.
   */
  readonly codes: tf.Tensor2D;
}

export interface Encoding {
  /** The deterministic code: z itself, or the posterior mean. */
  readonly z: tf.Tensor2D;
  readonly posterior?: Gaussian;
}

/** What the config's fusion brings to the widths, given only to a variant that uses one. */
export interface FusionWidths {
  /** `model.fusionInputSize`: each embedding's width when the fusion projects on its own. */
  readonly inputSize: number;
  /** The fusion combines its inputs in its output space (mean), so they must be that wide. */
  readonly needsLatentSizedInputs: boolean;
}

/** How wide each part of the model is for this variant. */
export interface ObjectiveShapes {
  /** Width of each modality's projection (the embedding that leaves the encoder). */
  readonly projectionSize: number;
  /** Width the fusion produces: given exactly when the variant uses a fusion. */
  readonly fusionOutputSize?: number;
}

export interface Objective {
  /** True when the latent is a distribution and the prior can be sampled. */
  readonly probabilistic: boolean;
  shapes(latentSize: number, fusion?: FusionWidths): ObjectiveShapes;
  loss(model: ObjectiveModel, batch: Batch, context: StepContext): LossRecord;
  /** Encodes from whichever modalities each sample carries (per-sample subsets). */
  encode(model: ObjectiveModel, inputs: Readonly<Record<string, ModalityBatch>>): Encoding;
}

/** What a variant's factories receive: the config's common model options and its own, parsed. */
export interface VariantArgs<Options> {
  readonly model: ModelConfig;
  readonly options: Options;
}

/** One modality's encoder as a training phase sees it: a stack of layers up to the projection. */
export interface EncoderStack {
  readonly name: string;
  readonly instance: { readonly featureSpec: FeatureSpec };
  readonly encoder: { readonly layers: readonly tf.layers.Layer[] };
  readonly projection: tf.layers.Layer;
}

export interface TrainingPhaseArgs<Options> extends VariantArgs<Options> {
  readonly parts: readonly EncoderStack[];
  readonly training: TrainingConfig;
  /** The run seed; derive the phase's own seeds from it. */
  readonly seed: number;
  readonly train: FeatureTable;
  readonly log: (line: string) => void;
}

/**
 * Training done once before the main phase (stacked's greedy layer-wise pre-training). The
 * trainer saves a checkpoint after it, so a resumed run never repeats it.
 */
export interface TrainingPhase<Options> {
  readonly description: string;
  run(args: TrainingPhaseArgs<Options>): Promise<void>;
}

/** A section of eval/report.json measured on the test split's codes. */
export interface ReportSection<Options> {
  /** The section's key in report.json (sparse: `sparsity`). */
  readonly key: string;
  measure(args: {
    /** The test split's codes, row-major [rows, latentSize]. */
    readonly codes: Float32Array;
    readonly latentSize: number;
    readonly options: Options;
  }): Readonly<Record<string, number>>;
}

/**
 * A variant, as bound to TOKENS.Variant in a ContainerModule. The config's `model` block is the
 * common part (variant, latentSize, and fusionInputSize for a variant that uses a fusion) plus the
 * keys of `optionsSchema`, so an option of another variant is an error naming both.
 */
export interface VariantContribution<Options = unknown> {
  /** The word in `model.variant`. */
  readonly id: string;
  readonly description: string;
  /** A zod object of this variant's own keys in `model`, with their defaults. */
  readonly optionsSchema: z.ZodType<Options> & {
    readonly shape: Readonly<Record<string, unknown>>;
  };
  /**
   * Whether codes come through the config's fusion (`fusion:`). A variant that combines its
   * experts itself uses none, and a `fusion:` block in its config is an error.
   */
  readonly usesFusion: boolean;
  createObjective(args: VariantArgs<Options>): Objective;
  readonly trainingPhase?: TrainingPhase<Options>;
  readonly report?: ReportSection<Options>;
}

export type AnyVariant = VariantContribution<unknown>;
