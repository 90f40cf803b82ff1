/**
 * Builds a layer at once by applying it to one row of zeros. A bare layer given `inputShape`
 * still creates its weights lazily on first use, so without this the fusion's `layers` would hold
 * no weights until the first batch (an optimizer or checkpoint would see none). Building through
 * `apply` rather than `build` also sets the layer's use count, which `dispose()` requires.
 */
import * as tf from '@tensorflow/tfjs';

export function buildLayerNow<L extends tf.layers.Layer>(layer: L, inputShape: number[]): L {
  tf.tidy(() => {
    layer.apply(tf.zeros([1, ...inputShape]));
  });
  return layer;
}
