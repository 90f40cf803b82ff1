/**
 * [b, n] → [b, size]: columns begin..begin+size. Lets the pretrained-mode encoder read only the
 * sentence vector out of a row that also carries the token ids (see feature-layout.ts).
 */
import * as tf from '@tensorflow/tfjs';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface ColumnSliceArgs extends LayerArgs {
  readonly begin: number;
  readonly size: number;
}

export class ColumnSlice extends tf.layers.Layer {
  static readonly className = 'MmaeTextColumnSlice';
  readonly begin: number;
  readonly size: number;

  constructor(args: ColumnSliceArgs) {
    super(args);
    this.begin = args.begin;
    this.size = args.size;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [(inputShape as tf.Shape)[0] ?? null, this.size];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
    return tf.slice(x, [0, this.begin], [-1, this.size]);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), begin: this.begin, size: this.size };
  }
}

tf.serialization.registerClass(ColumnSlice);
