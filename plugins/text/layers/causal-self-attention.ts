/**
 * [b, L, W] → [b, L, W]: one single-head self-attention block in which position t attends only
 * to positions 0..t, with learned position embeddings and a residual connection. The causal mask
 * is what lets a caption decoder train on every position at once (teacher forcing) and still
 * generate word by word.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../../src/errors/errors.js';
import { deriveSeed } from '../../../src/random/seeded-random.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

/** Added to the scores of future keys; exp() of it underflows to exactly 0 in float32. */
const MASKED_SCORE = -1e9;

export interface CausalSelfAttentionArgs extends LayerArgs {
  readonly seed: number;
}

interface BlockWeights {
  readonly position: LayerVariable;
  readonly query: LayerVariable;
  readonly key: LayerVariable;
  readonly value: LayerVariable;
  readonly output: LayerVariable;
}

export class CausalSelfAttention extends tf.layers.Layer {
  static readonly className = 'MmaeTextCausalSelfAttention';
  readonly seed: number;
  private weightsOf: BlockWeights | undefined;

  constructor(args: CausalSelfAttentionArgs) {
    super(args);
    this.seed = args.seed;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [, length, width] = inputShape as tf.Shape;
    if (typeof length !== 'number' || typeof width !== 'number') {
      throw new ShapeError(
        `The causal attention block needs inputs of a fixed [length, width], got ` +
          `[${String(inputShape)}]; set the text option maxLength.`,
      );
    }
    const square = (name: string): LayerVariable =>
      this.addWeight(
        name,
        [width, width],
        'float32',
        tf.initializers.glorotUniform({ seed: deriveSeed(this.seed, name) }),
      );
    this.weightsOf = {
      position: this.addWeight(
        'position',
        [length, width],
        'float32',
        tf.initializers.randomUniform({
          minval: -0.05,
          maxval: 0.05,
          seed: deriveSeed(this.seed, 'position'),
        }),
      ),
      query: square('query'),
      key: square('key'),
      value: square('value'),
      output: square('output'),
    };
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return inputShape as tf.Shape;
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const w = this.weightsOf as BlockWeights;
      const input = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch, length, width] = input.shape;
      const x = tf.add(input, w.position.read());
      const flat = tf.reshape(x, [-1, width]);
      const project = (weight: LayerVariable): tf.Tensor3D =>
        tf.reshape(tf.matMul(flat, weight.read()), [batch, length, width]);
      const scores = tf.div(
        tf.matMul(project(w.query), project(w.key), false, true),
        Math.sqrt(width),
      );
      const attention = tf.softmax(tf.add(scores, futureBias(length)));
      const attended = tf.reshape(tf.matMul(attention, project(w.value)), [-1, width]);
      const mixed = tf.reshape(tf.matMul(attended, w.output.read()), [batch, length, width]);
      return tf.add(x, mixed);
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
