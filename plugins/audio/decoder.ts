/**
 * Decoders from a latent [b, latentSize] to normalised features [b, frames, channels] (the mean
 * of a Gaussian, so the last layer is linear), chosen by `options.decoder`. 'dense' mirrors the
 * dense encoder's `hiddenSizes`. 'conv' (the default for 'conv' and 'conv-pool' encoders; pooling
 * has nothing to mirror) mirrors the conv encoder's `convFilters`: a dense
 * layer to the encoder's smallest time resolution, then transposed convolutions that double the
 * frames, a crop to the exact frame count, and a linear convolution to the channels. Time runs
 * along height with width 1, since tf.layers has no 1-D transposed convolution.
 */
import * as tf from '@tensorflow/tfjs';
import type { SpectrogramShape } from './encoder.js';
import type { AudioOptions } from './options.js';
import { seededInitializers } from './layer-init.js';

export function buildAudioDecoder(
  shape: SpectrogramShape,
  latentSize: number,
  options: AudioOptions,
): tf.Sequential {
  return options.decoder === 'dense'
    ? denseDecoder(shape, latentSize, options)
    : convDecoder(shape, latentSize, options);
}

function denseDecoder(
  { frames, channels }: SpectrogramShape,
  latentSize: number,
  options: AudioOptions,
): tf.Sequential {
  const init = seededInitializers(options.seed, 'decoder');
  const model = tf.sequential();
  const hidden = [...options.hiddenSizes].reverse();
  hidden.forEach((units, i) => {
    model.add(
      tf.layers.dense({
        ...(i === 0 ? { inputShape: [latentSize] } : {}),
        units,
        activation: options.activation,
        kernelInitializer: init(),
      }),
    );
  });
  model.add(
    tf.layers.dense({
      ...(hidden.length === 0 ? { inputShape: [latentSize] } : {}),
      units: frames * channels,
      kernelInitializer: init(),
    }),
  );
  model.add(tf.layers.reshape({ targetShape: [frames, channels] }));
  return model;
}

function convDecoder(
  { frames, channels }: SpectrogramShape,
  latentSize: number,
  options: AudioOptions,
): tf.Sequential {
  const init = seededInitializers(options.seed, 'decoder');
  const filters = [...options.convFilters].reverse();
  const upsamplings = filters.length;
  const coarseFrames = Math.ceil(frames / 2 ** upsamplings);
  const model = tf.sequential();
  model.add(
    tf.layers.dense({
      inputShape: [latentSize],
      units: coarseFrames * (filters[0] as number),
      activation: options.activation,
      kernelInitializer: init(),
    }),
  );
  model.add(tf.layers.reshape({ targetShape: [coarseFrames, 1, filters[0] as number] }));
  for (const f of filters) {
    model.add(
      tf.layers.conv2dTranspose({
        filters: f,
        kernelSize: [options.kernelSize, 1],
        strides: [2, 1],
        padding: 'same',
        activation: options.activation,
        kernelInitializer: init(),
      }),
    );
  }
  const excess = coarseFrames * 2 ** upsamplings - frames;
  if (excess > 0)
    model.add(
      tf.layers.cropping2D({
        cropping: [
          [0, excess],
          [0, 0],
        ],
      }),
    );
  model.add(
    tf.layers.conv2d({
      filters: channels,
      kernelSize: [options.kernelSize, 1],
      padding: 'same',
      kernelInitializer: init(),
    }),
  );
  model.add(tf.layers.reshape({ targetShape: [frames, channels] }));
  return model;
}
