/** The code activation of the deterministic variants (standard, sparse, stacked). */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

export const codeActivationOption = {
  /** Applied to the fused code z; the likelihood of each modality is its plugin's choice. */
  codeActivation: z.enum(['linear', 'sigmoid', 'relu', 'tanh']).default('linear'),
};

export type CodeActivation = z.infer<typeof codeActivationOption.codeActivation>;

export function codeActivation(name: CodeActivation): (x: tf.Tensor2D) => tf.Tensor2D {
  switch (name) {
    case 'sigmoid':
      return (x) => tf.sigmoid(x);
    case 'relu':
      return (x) => tf.relu(x);
    case 'tanh':
      return (x) => tf.tanh(x);
    case 'linear':
      return (x) => x;
  }
}
