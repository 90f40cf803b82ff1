/**
 * Per-channel standardisation of the features (a channel is a mel band, a cepstral coefficient
 * or one of their deltas). The statistics are learnt by `fit` on the training split and saved as
 * the plugin's JSON state, so a loaded run normalises exactly as the run that trained it. With
 * per-utterance normalisation the state holds the training clips' average own mean and std,
 * which render uses to give a normalised clip back a typical level.
 */
import { z } from 'zod';
import { PluginError, formatIssues, LIMITS } from 'mmae/portable';

/** Channels a state may hold: 512 mel bands × 3 with deltas fit below it. */
const MAX_CHANNELS = 4096;

/** A channel that never varies (e.g. above all content) gets this std, not a division by ~0. */
const MIN_STD = 1e-2;

export const audioStateSchema = z
  .object({
    version: z.literal(1),
    mean: z.array(z.number()).min(1).max(MAX_CHANNELS),
    std: z.array(z.number().positive()).min(1).max(MAX_CHANNELS),
    /** Training clips the statistics were computed from. */
    clips: z.number().int().positive().max(LIMITS.samples),
  })
  .strict();

export type AudioState = z.infer<typeof audioStateSchema>;

/** What fit feeds each training clip's un-normalised features [frames, channels] to. */
export interface FeatureStatistics {
  add(features: Float32Array): void;
  toState(): AudioState;
}

/** Accumulates per-channel sums in float64 across clips of shape [frames, channels]. */
export class BandStatistics implements FeatureStatistics {
  private readonly sum: Float64Array;
  private readonly sumSquares: Float64Array;
  private count = 0;
  private clips = 0;

  constructor(private readonly bands: number) {
    this.sum = new Float64Array(bands);
    this.sumSquares = new Float64Array(bands);
  }

  add(logMel: Float32Array): void {
    for (let i = 0; i < logMel.length; i++) {
      const b = i % this.bands;
      const v = logMel[i] as number;
      this.sum[b] = (this.sum[b] as number) + v;
      this.sumSquares[b] = (this.sumSquares[b] as number) + v * v;
    }
    this.count += logMel.length / this.bands;
    this.clips += 1;
  }

  toState(): AudioState {
    const mean = Array.from(this.sum, (s) => s / this.count);
    const std = Array.from(this.sumSquares, (s, b) => {
      const variance = s / this.count - (mean[b] as number) ** 2;
      return Math.max(Math.sqrt(Math.max(variance, 0)), MIN_STD);
    });
    return { version: 1, mean, std, clips: this.clips };
  }
}

/** What the configured channels are, in the words of the options, for error messages. */
export interface ChannelsDescription {
  /** e.g. "mel bands", "feature channels" */
  readonly unit: string;
  /** e.g. "options.melBands", "the options (features 'mfcc', 13 coefficients, deltas)" */
  readonly source: string;
}

const MEL_BANDS: ChannelsDescription = { unit: 'mel bands', source: 'options.melBands is' };

/** Checks a state (e.g. read back from a run) against the configured number of channels. */
export function checkAudioState(
  state: unknown,
  channels: number,
  described: ChannelsDescription = MEL_BANDS,
): AudioState {
  const parsed = audioStateSchema.safeParse(state);
  if (!parsed.success) {
    throw new PluginError(
      `audio plugin state (state.json) is malformed; re-run fit on the training data:\n` +
        formatIssues(parsed.error.issues),
    );
  }
  const { mean, std } = parsed.data;
  if (mean.length !== channels || std.length !== channels) {
    throw new PluginError(
      `audio plugin state has statistics for ${mean.length} ${described.unit} but ` +
        `${described.source} ${channels}; re-run fit with the same options`,
    );
  }
  return parsed.data;
}

/** In place: (x - mean[channel]) / std[channel]. */
export function normalise(logMel: Float32Array, state: AudioState): Float32Array {
  const bands = state.mean.length;
  for (let i = 0; i < logMel.length; i++) {
    const b = i % bands;
    logMel[i] = ((logMel[i] as number) - (state.mean[b] as number)) / (state.std[b] as number);
  }
  return logMel;
}

/** Returns a new array: x * std[channel] + mean[channel]. */
export function denormalise(features: Float32Array, state: AudioState): Float32Array {
  const bands = state.mean.length;
  const out = new Float32Array(features.length);
  for (let i = 0; i < features.length; i++) {
    const b = i % bands;
    out[i] = (features[i] as number) * (state.std[b] as number) + (state.mean[b] as number);
  }
  return out;
}
