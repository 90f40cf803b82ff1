/**
 * What datasets hand to the core. A dataset adapter turns a source (IDX files, an FSDD folder, a
 * manifest) into raw samples; modality plugins turn raw values into features; the core batches
 * features. Raw samples stay cheap (paths, strings, small views) so a split of 100k is fine.
 */
import type { z } from 'zod';

/**
 * Data a dataset or caller has already decoded (an IDX file's pixels, a WAV's samples). The core
 * passes `value` through untouched: its shape is the modality plugin's to declare and check (the
 * image plugin's DecodedImage, the audio plugin's DecodedAudio), so a user's modality takes its
 * own decoded form as the built-ins do.
 */
export interface DecodedValue {
  readonly kind: 'decoded';
  readonly value: unknown;
}

/**
 * One modality's raw value: a file path (string with `{ path }`), a file's bytes, a text string,
 * or already-decoded data.
 */
export type RawValue =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 'bytes'; readonly data: Uint8Array; readonly name?: string }
  | { readonly kind: 'text'; readonly text: string | Uint8Array }
  | DecodedValue;

export interface RawSample {
  /** Stable id used in error messages: a file name, a manifest row, `mnist/train/123`. */
  readonly id: string;
  /** Class index when the dataset has classes (digits), else undefined. */
  readonly label?: number;
  /** Grouping key for group-aware splits (speaker id for FSDD). */
  readonly group?: string;
  /** One entry per modality that this sample carries; a missing key is a missing modality. */
  readonly values: Readonly<Partial<Record<string, RawValue>>>;
}

/** A split is random-access so that samplers and shufflers never copy it. */
export interface RawSplit {
  readonly size: number;
  sample(index: number): RawSample;
}

export interface RawDataset {
  readonly id: string;
  /** Modality ids the dataset can provide. */
  readonly modalities: readonly string[];
  /** Class names, index = label. */
  readonly classes?: readonly string[];
  /**
   * Classes left out of train and validation but kept in test (MNIST's `excludeClasses`): the
   * evaluation scores how well reconstruction error tells them apart (anomaly AUROC).
   */
  readonly heldOutClasses?: readonly number[];
  /**
   * What makes two samples the same thing, when the dataset knows (the same emoji, whoever drew
   * it): the evaluation then scores instance-level retrieval, where every test item of the query's
   * instance is relevant, and, with `sources`, retrieval from one source to another.
   */
  readonly instances?: SampleInstances;
  /**
   * What a caption of a sample should say, when the dataset knows (an emoji's CLDR name and
   * keywords): the evaluation then scores captions generated from the sample's other modalities
   * by token F1 against them.
   */
  readonly captionReferences?: CaptionReferences;
  readonly train: RawSplit;
  readonly validation: RawSplit;
  readonly test: RawSplit;
}

/**
 * A dataset's declaration of instances, read by sample id (a feature table keeps only ids, so the
 * id must carry what the key needs). Samples of one instance may differ in every modality: two
 * vendors' drawings of one emoji, several captions of one image.
 */
export interface SampleInstances {
  /** The word for one instance in report.md ('emoji'). */
  readonly noun: string;
  /**
   * The instance key of the sample with this id; equal keys are the same thing. Undefined when
   * the sample's instance is unknown: it is then neither a query nor a relevant item.
   */
  instanceOf(id: string): string | undefined;
  /** Where each sample's rendering comes from, for retrieval from one source to another. */
  readonly sources?: SampleSources;
}

/** The words a generated caption is scored against, by sample id. */
export interface CaptionReferences {
  /** The text modality the references describe ('text'). */
  readonly modality: string;
  /**
   * The sample's name ('face with diagonal mouth') and further words a caption may use
   * ('skeptical', 'unsure'); undefined when unknown (the sample is left out).
   */
  referencesOf(
    id: string,
  ): { readonly label: string; readonly keywords: readonly string[] } | undefined;
}

/** A rendering or source attribute: whose drawing, which camera, which speaker. */
export interface SampleSources {
  /** The word for one source in report.md ('vendor'). */
  readonly noun: string;
  /**
   * The modalities the source describes (the image, not the caption both vendors share). Each
   * is queried from one source into the items of another source only. Default: all of them.
   */
  readonly modalities?: readonly string[];
  /** The source of the sample with this id; undefined when unknown (left out). */
  sourceOf(id: string): string | undefined;
}

export interface DatasetLoadContext {
  readonly seed: number;
  /** Directory of the config file, so relative paths in a config resolve against it. */
  readonly baseDir: string;
}

/** An extension point: a dataset adapter contributed through the container. */
export interface DatasetAdapter<Options = unknown> {
  readonly id: string;
  readonly description: string;
  readonly optionsSchema: z.ZodType<Options>;
  load(options: Options, context: DatasetLoadContext): Promise<RawDataset>;
}

export interface FeatureSpec {
  /** Per-sample shape, without the batch dimension. */
  readonly shape: readonly number[];
  /**
   * `'int32'` declares category ids (a caption's token ids): integers in [0, V), V the last axis
   * of the modality's decoder output (its logits). The evaluation reads this declaration: it
   * scores their reconstruction as the rate of wrong ids and gives a class judge a bag of them.
   * Every other feature, integer-valued ones such as counts included, is `'float32'`.
   */
  readonly dtype: 'float32' | 'int32';
}

/**
 * What the data path needs of a modality: the shape of its features and how a raw value becomes
 * them (raw → prepare → features). Every ModalityInstance is one.
 */
export interface FeaturePreparer {
  readonly featureSpec: FeatureSpec;
  /**
   * Raw value → one sample's features (length = product of featureSpec.shape).
   * Throws DataError naming `source` (a file or row id) on bad input.
   */
  prepare(raw: RawValue, source: string): Promise<Float32Array | Int32Array>;
  /**
   * The range the modality's decoder can produce, when bounded (a sigmoid mean: [0, 1]). The core
   * warns when the training features fall outside it, since the model could never fit them.
   */
  readonly outputRange?: readonly [number, number];
}

/** Features of one modality for a whole split, row-major, one row per sample. */
export interface FeatureColumn {
  readonly shape: readonly number[];
  readonly dtype: 'float32' | 'int32';
  readonly data: Float32Array | Int32Array;
  /** 1 where the sample carries this modality. */
  readonly present: Uint8Array;
}

export interface FeatureTable {
  readonly size: number;
  /** Class per row, -1 where unknown. */
  readonly labels: Int32Array;
  readonly ids: readonly string[];
  readonly columns: Readonly<Record<string, FeatureColumn>>;
}

/** One modality's slice of a batch: features [b, ...shape] and presence [b] as 0/1 floats. */
export interface ModalityBatch {
  readonly features: import('@tensorflow/tfjs').Tensor;
  readonly present: import('@tensorflow/tfjs').Tensor1D;
  /**
   * What the encoder reads when it differs from `features`: a training-time augmentation of
   * them. Reconstruction targets are always `features`, so the model learns to map a variant of
   * an input to the code that rebuilds the input itself.
   */
  readonly encoderFeatures?: import('@tensorflow/tfjs').Tensor;
}

/** A batch of rows from a FeatureTable. The consumer calls dispose() when done. */
export interface Batch {
  readonly size: number;
  /** Row indices into the FeatureTable. */
  readonly indices: Int32Array;
  readonly labels: Int32Array;
  readonly inputs: Readonly<Record<string, ModalityBatch>>;
  dispose(): void;
}
