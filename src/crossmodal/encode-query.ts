/**
 * Query → shared latent. The code comes from the path the public LoadedModel.encode takes
 * (model/encode-sample.ts); posterior samples (for --samples) from the objective's posterior of
 * the same prepared features.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModalityBatch, RawValue } from '../data/contract.js';
import { toRawValue } from '../data/raw-input.js';
import { DataError, UsageError } from '../errors/errors.js';
import { encodePrepared, prepareValues, type PreparedValue } from '../model/encode-sample.js';
import type { JointModel } from '../model/joint-model.js';
import type { OpenedRun } from '../open/open-run.js';
import type { Query } from './query-input.js';

/** A DataError about a user's query is a usage problem: the user chose the file. */
async function asUsage<T>(query: Query, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof DataError) {
      throw new UsageError(
        `the ${query.modality} query ${query.source} cannot be read: ${error.message}`,
      );
    }
    throw error;
  }
}

/** The query's raw value, read as its modality's plugin says strings are read. */
function rawValueOf(opened: OpenedRun, query: Query): RawValue {
  const setup = opened.setups.find((s) => s.name === query.modality)!;
  return toRawValue(query.input, opened.registry.modality(setup.pluginId));
}

/** The query's code (posterior mean for VAE families), [latentSize]. */
export function encodeQuery(opened: OpenedRun, query: Query): Promise<Float32Array> {
  // readQuery has checked the modality and made the input, so LoadedModel's argument checks
  // would have nothing to refuse.
  const setup = opened.setups.find((s) => s.name === query.modality)!;
  return asUsage(query, async () => {
    const raw = rawValueOf(opened, query);
    const prepared = await prepareValues([{ setup, raw }]);
    return encodePrepared(opened.model, prepared);
  });
}

/** `n` draws from the query's posterior, row-major [n, latentSize]. */
export async function posteriorSamples(
  opened: OpenedRun,
  query: Query,
  n: number,
  seed: number,
): Promise<Float32Array> {
  if (!opened.model.objective.probabilistic) {
    throw new UsageError(
      `--samples: the ${opened.model.variant.id} model has a deterministic code; use a VAE-family run.`,
    );
  }
  const setup = opened.setups.find((s) => s.name === query.modality)!;
  const features = await asUsage(query, () =>
    setup.instance.prepare(rawValueOf(opened, query), `query.${query.modality}`),
  );
  return posteriorDraws(opened.model, [{ setup, features }], n, seed);
}

/**
 * `n` seeded draws from the posterior of one sample's prepared modalities (any subset), row-major
 * [n, latentSize]: μ + σ·ε with ε ~ N(0, I) from `seed`. The model must be probabilistic; a
 * deterministic code is drawn as itself.
 */
export function posteriorDraws(
  model: JointModel,
  prepared: readonly PreparedValue[],
  n: number,
  seed: number,
): Float32Array {
  const samples = tf.tidy(() => {
    const inputs: Record<string, ModalityBatch> = {};
    for (const { setup, features } of prepared) {
      const spec = setup.instance.featureSpec;
      inputs[setup.name] = {
        features: tf.tensor(features, [1, ...spec.shape], spec.dtype),
        present: tf.ones([1]),
      };
    }
    const encoding = model.encode(inputs);
    const mu = encoding.posterior?.mu ?? encoding.z;
    const std = encoding.posterior
      ? tf.exp(tf.mul(encoding.posterior.logvar, 0.5))
      : tf.zerosLike(mu);
    const eps = tf.randomNormal([n, model.latentSize], 0, 1, 'float32', seed);
    return tf.add(mu, tf.mul(std, eps));
  });
  const out = Float32Array.from(samples.dataSync());
  samples.dispose();
  return out;
}

/** `n` draws from the prior N(0, I), row-major [n, latentSize]. */
export function priorSamples(opened: OpenedRun, n: number, seed: number): Float32Array {
  if (!opened.model.objective.probabilistic) {
    throw new UsageError(
      `--prior: the ${opened.model.variant.id} model has no prior to sample; use a VAE-family run.`,
    );
  }
  const z = tf.randomNormal([n, opened.model.latentSize], 0, 1, 'float32', seed);
  const out = Float32Array.from(z.dataSync());
  z.dispose();
  return out;
}
