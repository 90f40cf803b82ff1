/**
 * The fusion contract. A fusion maps per-modality embeddings, with per-sample presence masks,
 * to one vector per sample. Missing modalities must be left out (not zero-filled): each fusion
 * decides what "left out" means for its algebra (excluded from a mean, the identity in a product).
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';

export interface FusionBuildArgs<Options> {
  readonly modalities: readonly string[];
  /** Width of each modality's embedding as it reaches the fusion. */
  readonly inputSize: number;
  /** Width the fusion must produce. */
  readonly outputSize: number;
  readonly options: Options;
}

export interface FusionInstance {
  /** Layers holding this fusion's weights (saved and trained with the model). */
  readonly layers: readonly tf.layers.Layer[];
  /**
   * embeddings[m]: [b, inputSize]; present[m]: [b] of 0/1 floats, in `modalities` order.
   * Returns [b, outputSize]. Every row has at least one modality present.
   */
  apply(embeddings: readonly tf.Tensor2D[], present: readonly tf.Tensor1D[]): tf.Tensor2D;
}

export interface FusionStrategy<Options = unknown> {
  readonly id: string;
  readonly description: string;
  readonly optionsSchema: z.ZodType<Options>;
  /**
   * True when the fusion output equals a plain combination of inputs in the output space, so
   * unimodal embeddings must already be latent-sized (mean fusion); false when it has its own
   * learned projection (concat-MLP, TFN, LMF).
   */
  readonly needsLatentSizedInputs: boolean;
  create(args: FusionBuildArgs<Options>): FusionInstance;
}

export type AnyFusionStrategy = FusionStrategy<unknown>;
