import * as tf from '@tensorflow/tfjs';
import type { Batch, FeatureTable } from '../../data/contract.js';
import { iterateBatches } from '../../data/batches.js';
import { importanceWeightedNll } from '../metrics/iw-nll.js';
import { logDensity, logStandardDensity, sample } from '../../distributions/gaussian.js';
import type { JointModel } from '../../model/joint-model.js';
import { deriveSeed } from '../../random/seeded-random.js';

/**
 * Estimates a model's negative log-likelihood of a table's rows: the importance-weighted bound
 * (Burda et al. 2016, computed by metrics/iw-nll.ts) with the model's encoder as proposal:
 * −log (1/K) Σ_k p(x | z_k) p(z_k) / q(z_k | x), over the first `rows` rows of a table.
 * log p(x|z) is the negative reconstruction loss: exact for Bernoulli and categorical
 * likelihoods; for squared-error likelihoods it omits the Gaussian's normalising constant.
 */
export async function estimateNll(
  model: JointModel,
  table: FeatureTable,
  k: number,
  rows: number,
  seed: number,
): Promise<number | undefined> {
  if (!hasGaussianPosterior(model, table)) return undefined;
  let batchIndex = 0;
  function* firstRows(): Generator<Batch> {
    let seen = 0;
    for (const batch of iterateBatches(table, { batchSize: 100, shuffle: false })) {
      if (seen >= rows) {
        batch.dispose();
        return;
      }
      seen += batch.size;
      yield batch;
      batch.dispose();
      batchIndex++;
    }
  }
  const result = await importanceWeightedNll(
    firstRows(),
    (batch: Batch, samples: number) => {
      const posterior = model.encode(batch.inputs).posterior;
      if (!posterior) throw new RangeError('the IW-NLL needs a probabilistic model');
      const logWeights = Array.from({ length: samples }, (_, i) => {
        const z = sample(posterior, deriveSeed(seed, 'iw', batchIndex, i));
        const logPx = tf.neg(model.reconstruct(z, batch.inputs).perSample);
        return tf.add(logPx, tf.sub(logStandardDensity(z), logDensity(z, posterior)));
      });
      return tf.stack(logWeights, 0);
    },
    { k },
  );
  return result.nll;
}

/**
 * Whether the model's encoder gives one Gaussian posterior to sample from. A mixture (MoE) does
 * not, so its importance-weighted bound would need the mixture as proposal; it is not estimated.
 */
function hasGaussianPosterior(model: JointModel, table: FeatureTable): boolean {
  const batch = iterateBatches(table, { batchSize: 2, shuffle: false }).next().value;
  if (!batch) return false;
  try {
    return tf.tidy(() => model.encode(batch.inputs).posterior !== undefined);
  } finally {
    batch.dispose();
  }
}
