/**
 * Upper bounds on every size and count a config, a plugin's options or a run's saved state may
 * name. A value past its bound is refused by the schema (a ConfigError naming the field and the
 * bound) before it can cost memory or time: a hidden size of 2e9 would otherwise reach the
 * allocator and come back as a RangeError or a wasm "memory access out of bounds".
 *
 * Each bound is far above what the shipped configs use (the largest layer there is 512 units)
 * and low enough that one such value alone cannot exhaust a machine.
 */
import { z } from 'zod';

export const LIMITS = {
  /** A latent of 4096 units is 64× the widest the shipped configs use; its decoders stay small. */
  latentSize: 4096,
  /**
   * Units of one dense layer (or an embedding width): 65,536 units behind a 784-pixel input is
   * a 200 MB kernel, the most one layer should cost.
   */
  layerUnits: 65_536,
  /** Width of a text embedding or a recurrent state (a GRU has 3 × size² weights per layer). */
  embeddingSize: 4096,
  /** Layers in one hiddenSizes or filters list: deeper MLPs do not train without residuals. */
  layers: 16,
  /** Channels of one convolution layer: 4096 filters of 3×3 over 4096 channels are 600 MB. */
  filters: 4096,
  /** Samples in one batch: a batch's features and activations scale with it. */
  batchSize: 65_536,
  /** Native kernel threads: far above any machine's cores, a typo's guard. */
  threads: 1024,
  /** Epochs of any kind (training, pretraining, annealing, patience): past this, a run is endless. */
  epochs: 100_000,
  /** Importance samples multiply every pass of the model (MoE's stratified objective). */
  importanceSamples: 1024,
  /** Samples, rows or items a count may name: ten million MNISTs. */
  samples: 10_000_000,
  /** Samples made from one source sample (captions per image, pairs per recording). */
  repeatsPerSample: 1000,
  /** Seeds are 32-bit: the seeded generators take them modulo 2^32. */
  seed: 2 ** 32 - 1,
  /** Modalities of one model, and plugin modules of one config. */
  modalities: 16,
  listEntries: 64,
  /**
   * Values of one sample's features: 2^22 float32 values (16 MiB) per sample, e.g. 2048×2048
   * grayscale or 1182×1182 RGB pixels; a batch holds batchSize of them.
   */
  featureValues: 2 ** 22,
  /** Characters of one word of a saved vocabulary (a caption's word, not a document). */
  tokenLength: 1000,
} as const;

/**
 * An array of at most `max` entries whose length is checked before its entries: zod lists one
 * issue per bad entry, and some hundred thousand of them overflow the stack (a RangeError), so
 * a forged list of a million wrong values must be refused for its length first.
 */
export function boundedList<T extends z.ZodType>(element: T, max: number, min = 0) {
  return z.array(z.unknown()).min(min).max(max).pipe(z.array(element));
}
