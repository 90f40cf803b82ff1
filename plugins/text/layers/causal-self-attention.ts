/**
 * [b, L, W] → [b, L, W]: one single-head self-attention block in which position t attends only
 * to positions 0..t, with learned position embeddings and a residual connection. The causal mask
 * is what lets a caption decoder train on every position at once (teacher forcing) and still
 * generate word by word.
 */
import * as tf from '@tensorflow/tfjs';
import {
  addAttentionWeights,
  attentionBlock,
  MASKED_SCORE,
  type AttentionWeights,
} from './attention-block.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;

export interface CausalSelfAttentionArgs extends LayerArgs {
  readonly seed: number;
}

export class CausalSelfAttention extends tf.layers.Layer {
  static readonly className = 'MmaeTextCausalSelfAttention';
  readonly seed: number;
  private weightsOf: AttentionWeights | undefined;

  constructor(args: CausalSelfAttentionArgs) {
    super(args);
    this.seed = args.seed;
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
    return inputShape as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      return attentionBlock(input, this.weightsOf as AttentionWeights, futureBias(input.shape[1]));
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), seed: this.seed };
  }
}

tf.serialization.registerClass(CausalSelfAttention);

/** [L, L]: 0 where key ≤ query, MASKED_SCORE where the key lies in the future. */
function futureBias(length: number): tf.Tensor2D {
  const bias = new Float32Array(length * length);
  for (let query = 0; query < length; query++) {
    for (let key = query + 1; key < length; key++) bias[query * length + key] = MASKED_SCORE;
  }
  return tf.tensor2d(bias, [length, length]);
}
