/**
 * Encoders from features [b, frames, channels] to a hidden code [b, embeddingSize]. 'dense'
 * flattens the features into an MLP; 'conv' runs strided 1-D convolutions over time with the
 * feature channels as conv channels, halving the frame count per layer, then one dense layer.
 * 'conv-pool' keeps the first convolution unstrided and takes each filter's maximum over time
 * instead of flattening: a word detected anywhere in the clip gives the same code, and the dense
 * layer after it has far fewer weights to overfit the few training speakers with.
 */
import * as tf from '@tensorflow/tfjs';
import type { AudioOptions } from './options.js';
import { seededInitializers, type Initializer } from './layer-init.js';

export interface SpectrogramShape {
  readonly frames: number;
  /** Values per frame: mel bands, or cepstral coefficients, with their deltas if any. */
  readonly channels: number;
}

export function buildAudioEncoder(shape: SpectrogramShape, options: AudioOptions): tf.Sequential {
  const init = seededInitializers(options.seed, 'encoder');
  const model = tf.sequential();
  const inputShape = [shape.frames, shape.channels];
  if (options.architecture === 'dense') {
    model.add(tf.layers.flatten({ inputShape }));
  } else {
    addConvolutions(model, inputShape, options, init);
    model.add(
      options.architecture === 'conv-pool' ? tf.layers.globalMaxPooling1d() : tf.layers.flatten(),
    );
  }
  const hidden = options.architecture === 'dense' ? options.hiddenSizes : [];
  for (const units of hidden) {
    model.add(
      tf.layers.dense({ units, activation: options.activation, kernelInitializer: init() }),
    );
  }
  if (options.dropout > 0) model.add(tf.layers.dropout({ rate: options.dropout }));
  model.add(
    tf.layers.dense({
      units: options.embeddingSize,
      activation: options.activation,
      kernelInitializer: init(),
    }),
  );
  return model;
}

function addConvolutions(
  model: tf.Sequential,
  inputShape: number[],
  options: AudioOptions,
  init: () => Initializer,
): void {
  options.convFilters.forEach((filters, i) => {
    const strides = options.architecture === 'conv-pool' && i === 0 ? 1 : 2;
    model.add(
      tf.layers.conv1d({
        ...(i === 0 ? { inputShape } : {}),
        filters,
        kernelSize: options.kernelSize,
        strides,
        padding: 'same',
        activation: options.activation,
        kernelInitializer: init(),
      }),
    );
  });
}
