/**
 * The single-head self-attention block both text attention layers share: learned position
 * embeddings, query/key/value/output projections, and a residual connection. The layers differ
 * only in which keys a position may see (a score bias) and in what they do with the result.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, deriveSeed } from 'mmae/portable';

type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

/** Added to the scores of hidden keys; exp() of it underflows to exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

export interface AttentionWeights {
  readonly position: LayerVariable;
  readonly query: LayerVariable;
  readonly key: LayerVariable;
  readonly value: LayerVariable;
  readonly output: LayerVariable;
}

/** A layer's own (protected) addWeight, handed over by the layer. */
export type AddWeight = (
  name: string,
  shape: number[],
  dtype: 'float32',
  initializer: ReturnType<typeof tf.initializers.glorotUniform>,
) => LayerVariable;

/** Creates the block's weights, through the layer's addWeight, for inputs [b, length, width]. */
export function addAttentionWeights(
  addWeight: AddWeight,
  inputShape: tf.Shape | tf.Shape[],
  seed: number,
): AttentionWeights {
  const [, length, width] = inputShape as tf.Shape;
  if (typeof length !== 'number' || typeof width !== 'number') {
    throw new ShapeError(
      `The text attention block needs inputs of a fixed [length, width], got ` +
        `[${String(inputShape)}]; set the text option maxLength.`,
    );
  }
  const square = (name: string): LayerVariable =>
    addWeight(
      name,
      [width, width],
      'float32',
      tf.initializers.glorotUniform({ seed: deriveSeed(seed, name) }),
    );
  return {
    position: addWeight(
      'position',
      [length, width],
      'float32',
      tf.initializers.randomUniform({
        minval: -0.05,
        maxval: 0.05,
        seed: deriveSeed(seed, 'position'),
      }),
    ),
    query: square('query'),
    key: square('key'),
    value: square('value'),
    output: square('output'),
  };
}

/**
 * [b, L, W] → [b, L, W]: x + attention(x) with x = input + positions. `scoreBias` broadcasts
 * against the scores [b, L, L] and hides keys with MASKED_SCORE.
 */
export function attentionBlock(
  input: tf.Tensor3D,
  w: AttentionWeights,
  scoreBias: tf.Tensor,
): tf.Tensor3D {
  return tf.tidy(() => {
    const [batch, length, width] = input.shape;
    const x = tf.add(input, w.position.read());
    const flat = tf.reshape(x, [-1, width]);
    const project = (weight: LayerVariable): tf.Tensor3D =>
      tf.reshape(tf.matMul(flat, weight.read()), [batch, length, width]);
    const scores = tf.div(
      tf.matMul(project(w.query), project(w.key), false, true),
      Math.sqrt(width),
    );
    const attention = tf.softmax(tf.add(scores, scoreBias));
    const attended = tf.reshape(tf.matMul(attention, project(w.value)), [-1, width]);
    const mixed = tf.reshape(tf.matMul(attended, w.output.read()), [batch, length, width]);
    return tf.add(x, mixed) as tf.Tensor3D;
  });
}
