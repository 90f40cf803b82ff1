/**
 * [b, L, E] with a pad mask [b, L] → [b, E]: one single-head self-attention block with learned
 * position embeddings and a residual connection, then the mean over non-pad positions.
 *
 * Padding is excluded twice: as keys (their scores get a large negative bias, so no token
 * attends to them) and from the final mean, so a caption encodes the same whatever its padding.
 */
import * as tf from '@tensorflow/tfjs';
import {
  addAttentionWeights,
  attentionBlock,
  MASKED_SCORE,
  type AttentionWeights,
} from './attention-block.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface SelfAttentionPoolingArgs extends LayerArgs {
  readonly seed: number;
}

export class SelfAttentionPooling extends tf.layers.Layer {
  static readonly className = 'MmaeTextSelfAttentionPooling';
  readonly seed: number;
  private weightsOf: AttentionWeights | undefined;

  constructor(args: SelfAttentionPoolingArgs) {
    super(args);
    this.seed = args.seed;
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.weightsOf = addAttentionWeights(
      (name, shape, dtype, initializer) => this.addWeight(name, shape, dtype, initializer),
      inputShape,
      this.seed,
    );
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shape = inputShape as tf.Shape;
    return [shape[0] ?? null, shape[2] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const w = this.weightsOf as AttentionWeights;
      const embedded = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch, length] = embedded.shape;
      const maskInput = kwargs['mask'] as tf.Tensor | undefined | null;
      const mask = maskInput ? tf.cast(maskInput, 'float32') : tf.ones([batch, length]);

      const keyBias = tf.mul(tf.sub(1, tf.expandDims(mask, 1)), MASKED_SCORE);
      const hidden = attentionBlock(embedded, w, keyBias);

      const weights = tf.expandDims(mask, -1);
      const count = tf.maximum(tf.sum(weights, 1), 1);
      return tf.div(tf.sum(tf.mul(hidden, weights), 1), count);
    });
  }

  /** The sequence axis is gone, so no mask travels further (tfjs reads null as "no mask"). */
  override computeMask(): tf.Tensor | tf.Tensor[] {
    return null as unknown as tf.Tensor;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}

tf.serialization.registerClass(SelfAttentionPooling);
