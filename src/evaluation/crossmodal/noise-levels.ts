/**
 * The corruptions of the robustness curves, one record per noise kind: which modality plugin it
 * applies to, its levels, and how it corrupts a raw value (text, decoded audio) or a feature row
 * (pixels). Adding a corruption is adding a record.
 */
import type { DecodedAudio } from '../../data/contract.js';
import {
  addNoiseAtSnr,
  dropWords,
  gaussianImageNoise,
  occludeImage,
  typos,
  type ImageShape,
} from '../../eval/noise.js';
import type { SeededRandom } from '../../random/seeded-random.js';

export type NoiseKind =
  | {
      readonly target: 'features';
      apply(row: Float32Array, shape: ImageShape, level: number, rng: SeededRandom): Float32Array;
    }
  | { readonly target: 'text'; apply(text: string, level: number, rng: SeededRandom): string }
  | {
      readonly target: 'audio';
      apply(audio: DecodedAudio, level: number, rng: SeededRandom): DecodedAudio;
    };

export interface NoiseSpec {
  readonly name: string;
  /** The modality plugin whose inputs it corrupts. */
  readonly pluginId: string;
  readonly levels: readonly number[];
  /** What the x axis shows, and each level's x value (finite, for plotting). */
  readonly axis: string;
  readonly x: (level: number) => number;
  readonly kind: NoiseKind;
}

export const NOISE_SPECS: readonly NoiseSpec[] = [
  {
    name: 'gaussian',
    pluginId: 'image',
    levels: [0, 0.1, 0.2, 0.4],
    axis: 'pixel noise σ',
    x: (l) => l,
    kind: {
      target: 'features',
      apply: (row, shape, l, rng) => gaussianImageNoise(row, shape, l, rng),
    },
  },
  {
    name: 'occlusion',
    pluginId: 'image',
    levels: [0, 0.25, 0.5, 0.75],
    axis: 'occluded square side (share of the image side)',
    x: (l) => l,
    kind: { target: 'features', apply: (row, shape, l, rng) => occludeImage(row, shape, l, rng) },
  },
  {
    name: 'word-dropout',
    pluginId: 'text',
    levels: [0, 0.2, 0.4, 0.6],
    axis: 'word drop-out probability',
    x: (l) => l,
    kind: { target: 'text', apply: (text, l, rng) => dropWords(text, l, rng) },
  },
  {
    name: 'typos',
    pluginId: 'text',
    levels: [0, 0.1, 0.2, 0.4],
    axis: 'typo rate per letter',
    x: (l) => l,
    kind: { target: 'text', apply: (text, l, rng) => typos(text, l, rng) },
  },
  {
    name: 'additive-noise',
    pluginId: 'audio',
    levels: [Infinity, 20, 10, 0],
    // SNR ∞ cannot be drawn; noise/signal power (0, 0.01, 0.1, 1) orders the levels the same way.
    axis: 'noise/signal power (SNR ∞, 20, 10, 0 dB)',
    x: (l) => (Number.isFinite(l) ? 10 ** (-l / 10) : 0),
    kind: {
      target: 'audio',
      apply: (audio, l, rng) =>
        Number.isFinite(l) ? { ...audio, samples: addNoiseAtSnr(audio.samples, l, rng) } : audio,
    },
  },
];
