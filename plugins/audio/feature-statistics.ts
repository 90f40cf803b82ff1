/**
 * Which statistics fit gathers and how prepare standardises, by `options.normalisation`, and how
 * the configured channels are named in messages.
 */
import {
  BandStatistics,
  normalise,
  type AudioState,
  type ChannelsDescription,
  type FeatureStatistics,
} from './normalisation.js';
import type { AudioOptions } from './options.js';
import { normaliseUtterance, UtteranceStatistics } from './utterance-normalisation.js';

export function createFeatureStatistics(
  options: AudioOptions,
  channels: number,
): FeatureStatistics {
  return options.normalisation === 'utterance'
    ? new UtteranceStatistics(channels)
    : new BandStatistics(channels);
}

/** In place: standardises un-normalised features as the options say. */
export function standardise(
  features: Float32Array,
  options: AudioOptions,
  state: AudioState,
): Float32Array {
  return options.normalisation === 'utterance'
    ? normaliseUtterance(features, state.mean.length)
    : normalise(features, state);
}

export function describeChannels(options: AudioOptions): ChannelsDescription {
  if (options.features === 'logmel' && !options.deltas) {
    return { unit: 'mel bands', source: 'options.melBands is' };
  }
  const statics =
    options.features === 'mfcc'
      ? `mfccCoefficients ${options.mfccCoefficients}`
      : `melBands ${options.melBands}`;
  const deltas = options.deltas ? ' × 3 for deltas' : '';
  return {
    unit: 'feature channels',
    source: `the options (features '${options.features}', ${statics}${deltas}) give`,
  };
}
