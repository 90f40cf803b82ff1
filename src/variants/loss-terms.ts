import type * as tf from '@tensorflow/tfjs';
import type { LossRecord } from './contract.js';

/**
 * A loss record's scalars under the names metrics.jsonl and evaluateLoss use, the same for every
 * variant: `total`, `reconstruction`, `reconstruction.<modality>`, then each regulariser's value
 * (before its weight).
 */
export function namedLossTerms(record: LossRecord): [string, tf.Scalar][] {
  return [
    ['total', record.total],
    ['reconstruction', record.reconstruction],
    ...Object.entries(record.reconstructionByModality).map(([name, value]): [string, tf.Scalar] => [
      `reconstruction.${name}`,
      value,
    ]),
    ...Object.entries(record.regularisers).map(([name, term]): [string, tf.Scalar] => [
      name,
      term.value,
    ]),
  ];
}
