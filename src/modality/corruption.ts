/**
 * A modality's corruptions for robustness curves: `mmae eval` corrupts one modality's test inputs
 * at growing severity and measures what the corrupted input still generates and retrieves. The
 * modality declares them (ModalityInstance.corruptions), so the core never knows a plugin's id and
 * a user's modality gets curves with no core edit.
 */
import type { RawValue } from '../data/contract.js';
import type { SeededRandom } from '../random/seeded-random.js';

interface CorruptionInfo {
  /** Names the curve in report.json and its plot, robustness-<modality>-<name>.png. */
  readonly name: string;
  /** Severities in order, mildest first (usually starting with none, e.g. 0). */
  readonly levels: readonly number[];
  /** What the plot's x axis shows, e.g. 'pixel noise σ'. */
  readonly axis: string;
  /** A level's place on the x axis, finite (SNR ∞ cannot be drawn); default the level itself. */
  plotX?(level: number): number;
}

/** Corrupts prepared features, one sample at a time: pixels, a series of numbers. */
export interface FeatureCorruption extends CorruptionInfo {
  readonly on: 'features';
  /**
   * One sample's features (row-major, the modality's featureSpec shape) → a corrupted copy of the
   * same length. The input must not be changed. Draw only from `random`, so a curve repeats.
   */
  corrupt(
    features: Float32Array | Int32Array,
    level: number,
    random: SeededRandom,
  ): Float32Array | Int32Array;
}

/**
 * Corrupts raw values before `prepare`, for noise that belongs to the raw form: words dropped
 * from a caption, noise added to a waveform at a signal-to-noise ratio.
 */
export interface RawCorruption extends CorruptionInfo {
  readonly on: 'raw';
  /**
   * One raw value of the test split → a corrupted raw value that the modality then prepares like
   * any input. `source` names the sample, for the message of a value that cannot be read.
   */
  corrupt(raw: RawValue, level: number, random: SeededRandom, source: string): Promise<RawValue>;
}

export type Corruption = FeatureCorruption | RawCorruption;
