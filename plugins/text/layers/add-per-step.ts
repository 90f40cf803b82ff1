/**
 * [b, L, W] and [b, W] → [b, L, W]: adds one vector per sample to every step of its sequence.
 * Equal to concatenating a repeated vector before a dense layer, without the Tile and the
 * slices of its gradient, which on wasm cost more than the products around them.
 */
import * as tf from '@tensorflow/tfjs';

export class AddPerStep extends tf.layers.Layer {
  static readonly className = 'MmaeTextAddPerStep';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return (inputShape as tf.Shape[])[0] as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const [sequence, perSample] = inputs as tf.Tensor[];
      return tf.add(sequence as tf.Tensor, tf.expandDims(perSample as tf.Tensor, 1));
    });
  }
}

tf.serialization.registerClass(AddPerStep);
