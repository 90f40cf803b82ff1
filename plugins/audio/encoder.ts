/**
 * Encoders from log-mel features [b, frames, bands] to a hidden code [b, embeddingSize].
 * 'dense' flattens the spectrogram into an MLP; 'conv' runs strided 1-D convolutions over time
 * with the mel bands as channels, halving the frame count per layer, then one dense layer.
 */
import * as tf from '@tensorflow/tfjs';
import type { AudioOptions } from './options.js';
import { seededInitializers } from './layer-init.js';

export interface SpectrogramShape {
  readonly frames: number;
  readonly bands: number;
}

export function buildAudioEncoder(shape: SpectrogramShape, options: AudioOptions): tf.Sequential {
  const init = seededInitializers(options.seed, 'encoder');
  const model = tf.sequential();
  const inputShape = [shape.frames, shape.bands];
  if (options.architecture === 'dense') {
    model.add(tf.layers.flatten({ inputShape }));
  } else {
    options.convFilters.forEach((filters, i) => {
      model.add(
        tf.layers.conv1d({
          ...(i === 0 ? { inputShape } : {}),
          filters,
          kernelSize: options.kernelSize,
          strides: 2,
          padding: 'same',
          activation: options.activation,
          kernelInitializer: init(),
        }),
      );
    });
    model.add(tf.layers.flatten());
  }
  const hidden = options.architecture === 'dense' ? options.hiddenSizes : [];
  for (const units of [...hidden, options.embeddingSize]) {
    model.add(
      tf.layers.dense({ units, activation: options.activation, kernelInitializer: init() }),
    );
  }
  return model;
}
