/**
 * Where things sit in a prepared text row.
 *
 * Token mode: int32 [maxLength] token ids.
 * Pretrained mode: float32 [maxLength + dimension]: the token ids stored as floats (exact for
 * any vocabulary below 2^24), then the frozen sentence vector. One row carries both because the
 * encoder reads the vector while the decoder must still reconstruct the tokens, and a modality
 * has a single feature column.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureSpec } from 'mmae/portable';

export class TextFeatureLayout {
  constructor(
    readonly maxLength: number,
    /** Width of the sentence vector, or 0 in token mode. */
    readonly pretrainedDimension: number,
  ) {}

  get hasPretrainedVector(): boolean {
    return this.pretrainedDimension > 0;
  }

  get featureSpec(): FeatureSpec {
    return this.hasPretrainedVector
      ? { shape: [this.maxLength + this.pretrainedDimension], dtype: 'float32' }
      : { shape: [this.maxLength], dtype: 'int32' };
  }

  /** One row from its token ids and, in pretrained mode, its sentence vector. */
  row(ids: Int32Array, vector?: Float32Array): Int32Array | Float32Array {
    if (!this.hasPretrainedVector) return ids;
    const row = new Float32Array(this.maxLength + this.pretrainedDimension);
    row.set(ids, 0);
    if (vector !== undefined) row.set(vector, this.maxLength);
    return row;
  }

  /** Features [b, width] → token ids [b, maxLength] as int32. */
  tokenIds(features: tf.Tensor): tf.Tensor2D {
    return tf.tidy(() => {
      const ids = this.hasPretrainedVector
        ? tf.slice(features, [0, 0], [-1, this.maxLength])
        : features;
      return tf.cast(ids, 'int32') as tf.Tensor2D;
    });
  }

  /**
   * Decoded ids [b, maxLength] → features in the prepared space. In pretrained mode the vector
   * part is zero: it cannot be recomputed from ids inside a graph.
   */
  featuresFromIds(ids: tf.Tensor2D): tf.Tensor {
    if (!this.hasPretrainedVector) return ids;
    return tf.tidy(() => {
      const asFloat = tf.cast(ids, 'float32');
      const vector = tf.zeros([ids.shape[0], this.pretrainedDimension]);
      return tf.concat([asFloat, vector], 1);
    });
  }
}
