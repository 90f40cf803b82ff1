/**
 * Token ids [b, L] → embeddings [b, L, E], computed as oneHot(ids) · W.
 *
 * Why not tf.layers.embedding: its lookup is a gather, whose gradient needs UnsortedSegmentSum,
 * a kernel the wasm backend lacks. A one-hot product needs only MatMul gradients and costs little
 * for vocabularies of a few hundred to a few thousand words.
 *
 * Rows start N(0, 1), as in PyTorch's nn.Embedding, not Keras's U(±0.05): pooled text codes
 * then reach the fusion at a scale comparable to other modalities, and in a joint MNIST image +
 * caption model the text loss fell 2–8× faster in our runs.
 *
 * The layer also emits a mask (ids ≠ <pad>) that tfjs passes to the next layer, so pooling and
 * recurrent layers can skip padding exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { PAD_ID } from '../vocabulary.js';

type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
type LayerVariable = ReturnType<tf.layers.Layer['addWeight']>;

export interface TokenEmbeddingArgs extends LayerArgs {
  readonly vocabularySize: number;
  readonly embeddingSize: number;
  /** Seed of the uniform initialiser, so two builds start from the same weights. */
  readonly seed: number;
  /**
   * Emit the pad mask (default). A decoder's shifted input turns it off: its padding follows
   * <eos>, where the loss reads nothing, and a mask would only complicate merging with the latent.
   */
  readonly maskPadding?: boolean;
}

export class TokenEmbedding extends tf.layers.Layer {
  static readonly className = 'MmaeTextTokenEmbedding';
  readonly vocabularySize: number;
  readonly embeddingSize: number;
  readonly seed: number;
  readonly maskPadding: boolean;
  private table: LayerVariable | undefined;

  constructor(args: TokenEmbeddingArgs) {
    super(args);
    this.vocabularySize = args.vocabularySize;
    this.embeddingSize = args.embeddingSize;
    this.seed = args.seed;
    this.maskPadding = args.maskPadding ?? true;
    this.supportsMasking = true;
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    this.table = this.addWeight(
      'table',
      [this.vocabularySize, this.embeddingSize],
      'float32',
      tf.initializers.randomNormal({ mean: 0, stddev: 1, seed: this.seed }),
    );
    super.build(inputShape);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return [...(inputShape as tf.Shape), this.embeddingSize];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const ids = tf.cast(oneTensor(inputs), 'int32');
      const table = (this.table as LayerVariable).read();
      const oneHot = tf.oneHot(tf.reshape(ids, [-1]), this.vocabularySize);
      const rows = tf.matMul(oneHot, table);
      return tf.reshape(rows, [...ids.shape, this.embeddingSize]);
    });
  }

  override computeMask(
    inputs: tf.Tensor | tf.Tensor[],
    mask?: tf.Tensor | tf.Tensor[],
  ): tf.Tensor | tf.Tensor[] {
    // Without pad masking, behave like any layer: pass on the incoming mask (none for ids).
    if (!this.maskPadding) return super.computeMask(inputs, mask);
    return tf.tidy(() => tf.notEqual(tf.cast(oneTensor(inputs), 'int32'), PAD_ID));
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      vocabularySize: this.vocabularySize,
      embeddingSize: this.embeddingSize,
      seed: this.seed,
      maskPadding: this.maskPadding,
    };
  }
}

tf.serialization.registerClass(TokenEmbedding);

function oneTensor(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
}
