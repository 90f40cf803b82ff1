/**
 * The last step of low-rank fusion: a learned weighted sum over the rank axis plus a bias, as in
 * the LMF reference implementation. tfjs has no built-in layer for "weights over one axis and a
 * bias over another", so this small layer holds both weights where the model can save and train
 * them.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from 'mmae/portable';

export class RankCombineLayer extends tf.layers.Layer {
  static readonly className = 'MmaeRankCombine';
  private rankWeights: tf.LayerVariable | undefined;
  private bias: tf.LayerVariable | undefined;

  constructor(
    private readonly rank: number,
    private readonly units: number,
  ) {
    super({});
  }

  /** The shape is fixed by the constructor, so the argument is only checked for rank 3. */
  override build(inputShape: tf.Shape | tf.Shape[]): void {
    if (this.built) return;
    if ((Array.isArray(inputShape[0]) ? inputShape[0] : inputShape).length !== 3) {
      throw new ShapeError(
        `low-rank fusion: combine layer expects input [batch, ${this.rank}, ${this.units}]`,
      );
    }
    // Equal weights 1/rank to start: the sum begins as the mean of the rank terms.
    this.rankWeights = this.addWeight(
      'rank_weights',
      [1, this.rank],
      'float32',
      tf.initializers.constant({ value: 1 / this.rank }),
    );
    this.bias = this.addWeight('bias', [this.units], 'float32', tf.initializers.zeros());
    this.built = true;
  }

  /** input: [b, rank, units] → [b, units]. */
  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0]! : inputs;
      const [batch] = x.shape;
      // [1, rank] · [b, rank, units] as one matMul over a [rank, b*units] view.
      const flat = tf.reshape(tf.transpose(x, [1, 0, 2]), [this.rank, -1]);
      const combined = tf.reshape(tf.matMul(this.rankWeights!.read(), flat), [batch!, this.units]);
      return tf.add(combined, this.bias!.read());
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tf.Shape;
    return [shape[0]!, this.units];
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), rank: this.rank, units: this.units };
  }
}
