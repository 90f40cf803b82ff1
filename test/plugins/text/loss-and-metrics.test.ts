import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { tokenCrossEntropy } from '../../../plugins/text/loss.js';
import { tokenMetrics } from '../../../plugins/text/metrics.js';
import { useWasmBackend } from '../../support/backend.js';

beforeAll(useWasmBackend);

/** log-softmax cross-entropy of one position, by hand. */
function crossEntropy(logits: readonly number[], target: number): number {
  const max = Math.max(...logits);
  const logSum = max + Math.log(logits.reduce((s, l) => s + Math.exp(l - max), 0));
  return logSum - (logits[target] as number);
}

describe('token reconstruction loss', () => {
  it('sums cross-entropy over token positions including <eos> and skips <pad>', () => {
    const logits = [
      [
        [0.1, 2, -1, 0.5, 0.3],
        [1, 0, 0, 3, -2],
        [5, 5, 5, 5, 5],
      ],
      [
        [0, 0, 0, 0, 2],
        [0.2, 0.1, 0, 0, 0],
        [9, -9, 0, 0, 0],
      ],
    ];
    const ids = [
      [4, 3, 0],
      [3, 0, 0],
    ];
    const loss = tf.tidy(() =>
      tokenCrossEntropy(tf.tensor2d(ids, [2, 3], 'int32'), tf.tensor3d(logits)),
    );
    const at = (b: number, l: number): number =>
      crossEntropy(logits[b]?.[l] ?? [], ids[b]?.[l] ?? 0);
    const expected = [at(0, 0) + at(0, 1), at(1, 0)];
    expect(loss.shape).toEqual([2]);
    Array.from(loss.dataSync()).forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 5));
    loss.dispose();
  });

  it('reports token accuracy and exact-match rate over non-pad positions', () => {
    // Sample 0: both tokens right (pad position wrong, ignored). Sample 1: one of two right.
    const ids = tf.tensor2d(
      [
        [4, 3, 0],
        [5, 3, 0],
      ],
      [2, 3],
      'int32',
    );
    const logits = tf.tidy(() =>
      tf
        .oneHot(
          tf.tensor2d(
            [
              [4, 3, 2],
              [4, 3, 0],
            ],
            [2, 3],
            'int32',
          ),
          6,
        )
        .mul(5),
    );
    const metrics = tokenMetrics(ids, logits as tf.Tensor3D);
    expect(metrics.tokenAccuracy).toBeCloseTo(3 / 4, 6);
    expect(metrics.exactMatch).toBeCloseTo(1 / 2, 6);
    tf.dispose([ids, logits]);
  });
});
