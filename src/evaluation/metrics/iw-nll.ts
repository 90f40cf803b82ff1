/**
 * Importance-weighted estimate of −log p(x) (Burda et al., 2016):
 *   log p(x) ≈ log (1/K) Σ_k exp(log p(x|z_k) + log p(z_k) − log q(z_k|x)),  z_k ~ q(z|x).
 * The mean over K is taken in log space (max-shifted log-sum-exp) so large negative log weights do
 * not underflow. K may be split over several passes to bound memory; partial log-sum-exps combine
 * exactly.
 */
import * as tf from '@tensorflow/tfjs';
import { ShapeError, UsageError } from '../../errors/errors.js';

/**
 * Returns log p(x|z_k) + log p(z_k) − log q(z_k|x) as a [k, b] tensor for one batch of b inputs.
 * Called inside tf.tidy, so intermediate tensors it creates are freed.
 */
export type LogWeightFn<Batch> = (batch: Batch, k: number) => tf.Tensor;

export interface IwNllOptions {
  /** Importance samples per input, e.g. 1000 in the MMVAE papers; default 100. */
  readonly k?: number;
  /** Samples drawn per call of the log-weight function; default k (one pass). */
  readonly samplesPerPass?: number;
}

export interface IwNllResult {
  /** Mean over inputs of −logmeanexp_k(log w), in nats. */
  readonly nll: number;
  readonly inputs: number;
  readonly k: number;
}

function positiveInteger(field: string, value: number): void {
  if (!Number.isInteger(value) || value < 1) {
    throw new UsageError(
      `importanceWeightedNll: option ${field} is ${value}; it must be a positive integer.`,
    );
  }
}

/** Estimates the NLL over all batches; each batch is processed in ceil(k / samplesPerPass) passes. */
export async function importanceWeightedNll<Batch>(
  batches: Iterable<Batch> | AsyncIterable<Batch>,
  logWeights: LogWeightFn<Batch>,
  options: IwNllOptions = {},
): Promise<IwNllResult> {
  const k = options.k ?? 100;
  const perPass = Math.min(options.samplesPerPass ?? k, k);
  positiveInteger('k', k);
  positiveInteger('samplesPerPass', perPass);

  let total = 0;
  let inputs = 0;
  let batchIndex = 0;
  for await (const batch of batches) {
    const partials: tf.Tensor1D[] = [];
    try {
      for (let done = 0; done < k; done += perPass) {
        const samples = Math.min(perPass, k - done);
        partials.push(
          tf.tidy(() => {
            const w = logWeights(batch, samples);
            if (w.rank !== 2 || w.shape[0] !== samples) {
              throw new ShapeError(
                `importanceWeightedNll: the log-weight function returned shape [${w.shape.join(', ')}] ` +
                  `for batch ${batchIndex}; expected [${samples}, batchSize] (samples first).`,
              );
            }
            const first = partials[0];
            if (first && w.shape[1] !== first.shape[0]) {
              throw new ShapeError(
                `importanceWeightedNll: batch ${batchIndex} returned ${w.shape[1]} inputs in one pass ` +
                  `and ${first.shape[0]} in another; return the same batch size every pass.`,
              );
            }
            return tf.logSumExp(w.toFloat(), 0) as tf.Tensor1D;
          }),
        );
      }
      const combined = tf.tidy(() => tf.logSumExp(tf.stack(partials), 0).sub(Math.log(k)));
      const perInput = combined.dataSync();
      combined.dispose();
      for (let i = 0; i < perInput.length; i++) {
        const v = perInput[i] as number;
        if (Number.isNaN(v) || v === Infinity) {
          throw new UsageError(
            `importanceWeightedNll: input ${i} of batch ${batchIndex} has log p(x) estimate ${v}; ` +
              'the log-weight function returned NaN or +Infinity. Check the likelihood terms.',
          );
        }
        total -= v;
      }
      inputs += perInput.length;
    } finally {
      tf.dispose(partials);
    }
    batchIndex++;
  }
  if (inputs === 0)
    throw new UsageError('importanceWeightedNll: no batches; pass at least one input.');
  return { nll: total / inputs, inputs, k };
}
