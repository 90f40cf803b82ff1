/**
 * SpecAugment (Park et al. 2019) for training: each clip gets a few blocks of frames and a few
 * blocks of feature channels set to 0, its per-channel mean after utterance or global
 * normalisation. The encoder must then find the digit from what is left, so it leans less on the
 * few cues that mark the training speakers. With deltas, a masked coefficient is masked in its
 * delta and delta-delta channels too.
 */
import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from 'mmae/portable';

export interface SpecAugmentSettings {
  /** Frame blocks masked per clip, and the widest block in frames. */
  readonly timeMasks: number;
  readonly timeMaskWidth: number;
  /** Channel blocks masked per clip, and the widest block in channels of one group. */
  readonly channelMasks: number;
  readonly channelMaskWidth: number;
  /** Channels per group (the coefficients, when deltas follow them); all channels otherwise. */
  readonly channelGroup: number;
}

/** Features [b, frames, channels] with seeded masks applied; a new tensor. */
export function specAugment(
  features: tf.Tensor,
  seed: number,
  settings: SpecAugmentSettings,
): tf.Tensor {
  const [batch, frames, channels] = features.shape as [number, number, number];
  const random = new SeededRandom(seed);
  const keepFrames = new Float32Array(batch * frames).fill(1);
  const keepChannels = new Float32Array(batch * channels).fill(1);
  const group = Math.min(settings.channelGroup, channels);
  for (let b = 0; b < batch; b++) {
    for (let m = 0; m < settings.timeMasks; m++) {
      const width = random.int(Math.min(settings.timeMaskWidth, frames) + 1);
      const start = random.int(frames - width + 1);
      keepFrames.fill(0, b * frames + start, b * frames + start + width);
    }
    for (let m = 0; m < settings.channelMasks; m++) {
      const width = random.int(Math.min(settings.channelMaskWidth, group) + 1);
      const start = random.int(group - width + 1);
      for (let offset = 0; offset + group <= channels; offset += group) {
        const from = b * channels + offset + start;
        keepChannels.fill(0, from, from + width);
      }
    }
  }
  return tf.tidy(() =>
    tf.mul(
      features,
      tf.mul(
        tf.tensor3d(keepFrames, [batch, frames, 1]),
        tf.tensor3d(keepChannels, [batch, 1, channels]),
      ),
    ),
  );
}
