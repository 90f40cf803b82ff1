/**
 * [b, L, E] with a pad mask [b, L] → [b, E]: one single-head self-attention block with learned
 * position embeddings and a residual connection, then the mean over non-pad positions.
 *
 * Padding is excluded twice: as keys (their scores get a large negative bias, so no token
 * attends to them) and from the final mean, so a caption encodes the same whatever its padding.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError } from '../../../src/errors/errors.js';
import { deriveSeed } from '../../../src/random/seeded-random.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

/** Added to the scores of padded keys; exp() of it underflows to exactly 0 in float32. */
const MASKED_SCORE = -1e9;

export interface SelfAttentionPoolingArgs extends LayerArgs {
  readonly seed: number;
}

interface AttentionWeights {
  readonly position: LayerVariable;
  readonly query: LayerVariable;
  readonly key: LayerVariable;
  readonly value: LayerVariable;
  readonly output: LayerVariable;
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
    const [, length, width] = inputShape as tf.Shape;
    if (typeof length !== 'number' || typeof width !== 'number') {
      throw new ShapeError(
        `The text attention block needs token embeddings of a fixed [length, width], got ` +
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
    const shape = inputShape as tf.Shape;
    return [shape[0] ?? null, shape[2] ?? null];
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor {
    return tf.tidy(() => {
      const w = this.weightsOf as AttentionWeights;
      const embedded = (Array.isArray(inputs) ? inputs[0] : inputs) as tf.Tensor3D;
      const [batch, length, width] = embedded.shape;
      const maskInput = kwargs['mask'] as tf.Tensor | undefined | null;
      const mask = maskInput ? tf.cast(maskInput, 'float32') : tf.ones([batch, length]);

      const x = tf.add(embedded, w.position.read());
      const project = (weight: LayerVariable): tf.Tensor3D =>
        tf.reshape(tf.matMul(tf.reshape(x, [-1, width]), weight.read()), [batch, length, width]);
      const scores = tf.div(
        tf.matMul(project(w.query), project(w.key), false, true),
        Math.sqrt(width),
      );
      const keyBias = tf.mul(tf.sub(1, tf.expandDims(mask, 1)), MASKED_SCORE);
      const attention = tf.softmax(tf.add(scores, keyBias));
      const attended = tf.matMul(attention, project(w.value));
      const mixed = tf.reshape(tf.matMul(tf.reshape(attended, [-1, width]), w.output.read()), [
        batch,
        length,
        width,
      ]);
      const hidden = tf.add(x, mixed);

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
