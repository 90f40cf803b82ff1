/**
 * The modality plugin contract. A plugin is a declarative record: an id, an options schema, a
 * `fit` that learns data-dependent state from training data (saved with the run), and `create`,
 * which binds options and state into a ModalityInstance that the core uses.
 */
import type * as tf from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { FeaturePreparer, RawValue } from '../data/contract.js';
import type { Corruption } from './corruption.js';
import type { InputSizeLimit } from '../data/input-limits.js';

/**
 * What `render` gives back to a user. File contents are plain bytes (a Node Buffer is one), so
 * the contract holds in a browser as well.
 */
export type Artefact =
  | { readonly kind: 'png'; readonly data: Uint8Array }
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'wav'; readonly data: Uint8Array };

/**
 * A modality bound to its options and fitted state. Its `featureSpec`, `prepare` and
 * `outputRange` (the range `outputToFeatures` can produce) are the FeaturePreparer of
 * data/contract.ts: the part of an instance the data path uses.
 */
export interface ModalityInstance extends FeaturePreparer {
  readonly id: string;
  /** Features [b, ...shape] → hidden code [b, encoderOutputSize]. Built fresh on each call. */
  buildEncoder(): tf.Sequential;
  /**
   * Training-time augmentation (optional): a seeded random variant of a batch of features, read
   * by the encoder only (the decoder still reconstructs the clean features). Never called
   * outside training, so evaluation and inference see the data as it is.
   */
  augment?(features: tf.Tensor, seed: number): tf.Tensor;
  /**
   * Latent [b, latentSize] → decoder output (logits or likelihood parameters). A modality with
   * `teacherForcing` returns a model of two inputs instead: [latent, decoder inputs].
   */
  buildDecoder(latentSize: number): tf.LayersModel;
  /** Present when the decoder reads the target while training (an autoregressive decoder). */
  readonly teacherForcing?: TeacherForcedDecoding;
  /** Per-sample reconstruction loss [b], summed over feature dimensions. */
  reconstructionLoss(target: tf.Tensor, output: tf.Tensor): tf.Tensor1D;
  /** Decoder output → features in the prepared space (likelihood mean, argmax tokens). */
  outputToFeatures(output: tf.Tensor): tf.Tensor;
  /** One sample's features → a user-facing artefact. */
  render(features: Float32Array | Int32Array): Promise<Artefact>;
  /** Extra per-modality metrics on a batch, as plain numbers (e.g. token accuracy). */
  metrics?(target: tf.Tensor, output: tf.Tensor): Record<string, number>;
  /** How its inputs are corrupted for the robustness curves of `mmae eval`; none, no curves. */
  readonly corruptions?: readonly Corruption[];
}

/**
 * How the core drives a decoder that conditions on the target, such as an autoregressive caption
 * decoder: while training it is fed the target shifted by one step (teacher forcing); everywhere
 * else (evaluation, generation, the API) it feeds itself through `generate`.
 */
export interface TeacherForcedDecoding {
  /** Target features [b, ...shape] → the decoder's second input (e.g. tokens shifted right). */
  decoderInputs(target: tf.Tensor): tf.Tensor;
  /**
   * The decoder output for a sequence the decoder chooses itself (greedy), so that
   * `outputToFeatures` reads that sequence. `step` runs the decoder on [latent, inputs] for the
   * batch of latents being decoded; `batchSize` is that batch's size.
   */
  generate(step: (decoderInputs: tf.Tensor) => tf.Tensor, batchSize: number): tf.Tensor;
}

/**
 * How a modality's raw input is read from what a user gives: a string (the API, a CLI query) and
 * a query file. Declared by the plugin, so the core never tests a plugin's id.
 */
export interface RawInputRule {
  /**
   * What a string is: `'text'` the value itself (a caption), `'path'` a file's path (the default).
   */
  readonly strings?: 'text' | 'path';
  /**
   * How a query file reaches `prepare`: `'bytes'` read whole (the default), `'text'` read whole
   * as a text value, or `'path'` handed over for a plugin that reads only the part it uses (one
   * clip of a long WAV).
   */
  readonly files?: 'bytes' | 'text' | 'path';
  /**
   * The size limit a query file is read within, declared with the plugin kit's
   * `declareInputLimit` (data/input-limits.ts); default the core's text-file limit.
   */
  readonly sizeLimit?: InputSizeLimit;
  /**
   * The decoded data the modality takes, when it takes any (the image plugin's pixels, audio's
   * samples). Without it, decoded data given to the API is refused.
   */
  readonly decoded?: DecodedForm;
}

/**
 * A modality's decoded form. The core never looks inside a DecodedValue: it asks the plugin, so
 * the API refuses a misfit with a UsageError naming the argument before anything is prepared.
 * `prepare` checks a dataset's decoded values itself, with a DataError naming the sample.
 */
export interface DecodedForm {
  /** Its shape, for messages: `'{ width, height, channels, data: Uint8Array }'`. */
  readonly shape: string;
  /** What is wrong with `value`, naming the field ("data holds 3 bytes, not …"); else undefined. */
  problem(value: unknown): string | undefined;
}

/** How a modality recognises its files by their first bytes, so a wrong file gets a clear message. */
export interface FileKind {
  /** The files in words, for messages: 'an image (PNG, JPEG or WebP)'. */
  readonly description: string;
  /** How many leading bytes `matches` reads (a shorter file gives fewer). */
  readonly headerBytes: number;
  matches(header: Uint8Array): boolean;
}

export interface ModalityPlugin<Options = unknown, State = unknown> {
  readonly id: string;
  readonly description: string;
  readonly optionsSchema: z.ZodType<Options>;
  /**
   * The CLI flag of a query of this modality, without dashes (`image` for `mmae retrieve RUN
   * --image FILE`). Without one, the modality is still queried with `--query NAME=VALUE`.
   */
  readonly queryFlag?: string;
  /** How strings and query files become raw values; see RawInputRule for the defaults. */
  readonly rawInput?: RawInputRule;
  /** How the modality's files are recognised; without it every file is handed to `prepare`. */
  readonly fileKind?: FileKind;
  /**
   * Learns state from the training split's raw values (vocabulary, statistics). The state must
   * be JSON-serialisable: it is saved in the run and handed back to `create` on load.
   */
  fit(raws: readonly RawValue[], options: Options): Promise<State>;
  create(options: Options, state: State): ModalityInstance;
  /**
   * Whether the configured encoder or decoder runs convolutions (given the parsed options). The
   * 'auto' backend choice reads it (src/backend/auto-rule.ts); absent: dense layers only.
   */
  convolutional?(options: Options): boolean;
}

/** Loose form used by registries, where options and state are only known at run time. */
export type AnyModalityPlugin = ModalityPlugin<unknown, unknown>;
