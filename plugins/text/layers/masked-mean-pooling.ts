/**
 * [b, L, E] with a mask [b, L] → [b, E]: the mean over the unmasked positions only. Rows whose
 * mask is all zero (which the tokenizer never produces, as every caption ends in <eos>) give
 * zeros instead of NaN.
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export class MaskedMeanPooling extends tf.layers.Layer {
  static readonly className = 'MmaeTextMaskedMeanPooling';

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = inputShape as tf.Shape;
    return [shape[0] ?? null, shape[2] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const values = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      const mask = kwargs['mask'] as tf.Tensor | undefined;
      if (mask === undefined || mask === null) return tf.mean(values, 1);
      const weights = tf.expandDims(tf.cast(mask, 'float32'), -1);
      const total = tf.sum(tf.mul(values, weights), 1);
      const count = tf.maximum(tf.sum(weights, 1), 1);
      return tf.div(total, count);
    });
  }

  /** The sequence axis is gone, so no mask travels further (tfjs reads null as "no mask"). */
  override computeMask(): tf.Tensor | tf.Tensor[] {
    return null as unknown as tf.Tensor;
  }
}

tf.serialization.registerClass(MaskedMeanPooling);
