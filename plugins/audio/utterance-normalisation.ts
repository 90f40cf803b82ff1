/**
 * Per-utterance standardisation (cepstral mean and variance normalisation): each channel of a
 * clip is shifted and scaled by that clip's own mean and std over its frames. A speaker's vocal
 * tract and a microphone add a roughly constant offset to each log-mel band or cepstral
 * coefficient; this removes it, which global statistics cannot.
 */
import type { AudioState } from './normalisation.js';
import type { FeatureStatistics } from './normalisation.js';

/** A channel that never varies in a clip (e.g. all padding) is divided by this, not by ~0. */
const MIN_STD = 1e-2;

interface ChannelMoments {
  readonly mean: Float64Array;
  readonly std: Float64Array;
}

function momentsOf(features: Float32Array, channels: number): ChannelMoments {
  const frames = features.length / channels;
  const mean = new Float64Array(channels);
  const squares = new Float64Array(channels);
  for (let i = 0; i < features.length; i++) {
    const c = i % channels;
    const v = features[i] as number;
    mean[c] = (mean[c] as number) + v;
    squares[c] = (squares[c] as number) + v * v;
  }
  const std = new Float64Array(channels);
  for (let c = 0; c < channels; c++) {
    mean[c] = (mean[c] as number) / frames;
    const variance = (squares[c] as number) / frames - (mean[c] as number) ** 2;
    std[c] = Math.max(Math.sqrt(Math.max(variance, 0)), MIN_STD);
  }
  return { mean, std };
}

/** In place: each channel to zero mean and unit std over the clip's frames. */
export function normaliseUtterance(features: Float32Array, channels: number): Float32Array {
  const { mean, std } = momentsOf(features, channels);
  for (let i = 0; i < features.length; i++) {
    const c = i % channels;
    features[i] = ((features[i] as number) - (mean[c] as number)) / (std[c] as number);
  }
  return features;
}

/** Averages each training clip's own per-channel mean and std, for render to restore. */
export class UtteranceStatistics implements FeatureStatistics {
  private readonly meanSum: Float64Array;
  private readonly stdSum: Float64Array;
  private clips = 0;

  constructor(private readonly channels: number) {
    this.meanSum = new Float64Array(channels);
    this.stdSum = new Float64Array(channels);
  }

  add(features: Float32Array): void {
    const { mean, std } = momentsOf(features, this.channels);
    for (let c = 0; c < this.channels; c++) {
      this.meanSum[c] = (this.meanSum[c] as number) + (mean[c] as number);
      this.stdSum[c] = (this.stdSum[c] as number) + (std[c] as number);
    }
    this.clips += 1;
  }

  toState(): AudioState {
    const mean = Array.from(this.meanSum, (s) => s / this.clips);
    const std = Array.from(this.stdSum, (s) => Math.max(s / this.clips, MIN_STD));
    return { version: 1, mean, std, clips: this.clips };
  }
}
