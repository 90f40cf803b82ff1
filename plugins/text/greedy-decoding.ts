/**
 * Teacher forcing and greedy decoding for the autoregressive caption decoder.
 */
import * as tf from '@tensorflow/tfjs';
import type { TeacherForcedDecoding } from 'mmae/portable';
import { BOS_ID, PAD_ID } from './vocabulary.js';

/**
 * `tokenIds` reads the token ids [b, maxLength] out of a features tensor (the layout differs in
 * pretrained mode).
 */
export function autoregressiveDecoding(
  maxLength: number,
  tokenIds: (features: tf.Tensor) => tf.Tensor2D,
): TeacherForcedDecoding {
  return {
    decoderInputs(target: tf.Tensor) {
      return tf.tidy(() => shiftRight(tokenIds(target)));
    },

    /**
     * maxLength decoder passes: pass t fixes token t from the logits at t, which (the decoder
     * being causal) the later passes reproduce, so the last pass's logits are the greedy path's.
     */
    generate(step: (decoderInputs: tf.Tensor) => tf.Tensor, batchSize: number) {
      return tf.tidy(() => {
        let inputs: tf.Tensor2D = tf.concat(
          [
            tf.fill([batchSize, 1], BOS_ID, 'int32'),
            tf.fill([batchSize, maxLength - 1], PAD_ID, 'int32'),
          ],
          1,
        );
        for (let t = 0; t < maxLength - 1; t++) {
          const logits = step(inputs);
          const chosen = tf.cast(
            tf.argMax(tf.slice(logits, [0, t, 0], [-1, 1, -1]), -1),
            'int32',
          ) as tf.Tensor2D;
          const parts: tf.Tensor2D[] = [tf.slice(inputs, [0, 0], [-1, t + 1]), chosen];
          if (t + 2 < maxLength) parts.push(tf.slice(inputs, [0, t + 2], [-1, -1]));
          inputs = tf.concat(parts, 1);
        }
        return step(inputs);
      });
    },
  };
}

/** ids [b, L] → [<bos>, ids[0 .. L-2]]: what the decoder has seen before each position. */
function shiftRight(ids: tf.Tensor2D): tf.Tensor2D {
  const [batch, length] = ids.shape;
  return tf.concat(
    [
      tf.fill([batch, 1], BOS_ID, 'int32'),
      tf.slice(tf.cast(ids, 'int32'), [0, 0], [-1, length - 1]),
    ],
    1,
  );
}
