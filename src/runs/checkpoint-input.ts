import type { NamedTensor } from './named-tensor.js';

/** What the trainer hands to saveCheckpoint. JSON parts must be plain JSON data. */
export interface CheckpointInput {
  /** Model weights in the model's own order, e.g. from `layer.getWeights()` with stable names. */
  readonly weights: readonly NamedTensor[];
  /** Per-module Keras topology from `sequential.toJSON(null, false)`, keyed by module name. */
  readonly topology?: Readonly<Record<string, object>> | null;
  /** Optimizer slots from `await optimizer.getWeights()`; omitted or [] for none. */
  readonly optimizer?: readonly NamedTensor[];
  /** Epoch, step, best validation loss, early-stopping counter, schedule state, RNG seeds. */
  readonly trainerState: unknown;
  /** Fitted modality plugin state; when omitted, the last checkpoint's state.json is kept. */
  readonly pluginState?: unknown;
  /** The resolved config; when omitted, the last checkpoint's config.json is kept. */
  readonly config?: unknown;
  /** Caller metadata stored under `mmae` in model.json (modalities, latent size, variant…). */
  readonly metadata?: unknown;
  /** Backend name for the manifest; defaults to `tf.getBackend()`. */
  readonly backend?: string;
}
