/**
 * Token reconstruction loss: softmax cross-entropy at each position, summed over the positions
 * that hold a token (<eos> included, <pad> excluded), one value per sample.
 */
import type * as tf from '@tensorflow/tfjs';
import { tokenNll } from 'mmae/portable';
import { PAD_ID } from './vocabulary.js';

/** ids [b, L] int32, logits [b, L, V] → [b]; one native kernel each way on wasm. */
export function tokenCrossEntropy(ids: tf.Tensor2D, logits: tf.Tensor3D): tf.Tensor1D {
  return tokenNll(ids, logits, PAD_ID);
}
