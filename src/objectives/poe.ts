/**
 * MVAE (Wu & Goodman 2018): the joint posterior is the product of the present unimodal experts
 * and a prior expert. The sub-sampled ELBO sums the joint ELBO and one ELBO per single modality,
 * each reconstructing every modality the sample carries, so unimodal posteriors learn to stand in
 * for the joint one.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig } from '../config/schema.js';
import { productOfExperts } from '../distributions/gaussian.js';
import { deriveSeed } from '../random/seeded-random.js';
import type { Objective } from './contract.js';
import { sampleExpertProducts } from '../ops/poe-sample.js';
import { elboTermsOfSamples, reconstructionTerms } from './elbo-terms.js';
import { embedAll } from './embed-all.js';
import { unimodalExperts } from './experts.js';
import { klWeight } from './kl-weight.js';

export function poeObjective(config: ModelConfig): Objective {
  return {
    variant: 'poe',
    probabilistic: true,
    shapes: (latentSize) => ({ projectionSize: 2 * latentSize, fusionOutputSize: 0 }),
    loss(model, batch, context) {
      const beta = klWeight(config, context);
      const { embeddings, present } = embedAll(model, batch.inputs);
      // The joint posterior first, then (with several modalities) each modality alone.
      const all = embeddings.map((_, m) => m);
      const subsets = all.length > 1 ? [all, ...all.map((m) => [m])] : [all];
      const seeds = [context.seed, ...all.map((m) => deriveSeed(context.seed, 'unimodal', m))];
      const samples = sampleExpertProducts({
        params: embeddings,
        present,
        subsets,
        seeds: seeds.slice(0, subsets.length),
      });
      // 'own': the unimodal term of modality m (code 1 + m) reconstructs only m, as in the paper.
      const decodes =
        config.unimodalReconstruction === 'own'
          ? (code: number, name: string) => code === 0 || model.names[code - 1] === name
          : undefined;
      const [joint, ...unimodal] = elboTermsOfSamples(model, batch, samples, decodes);
      let perSample = tf.add(joint!.reconstruction, tf.mul(joint!.kl, beta)) as tf.Tensor1D;
      const terms: Record<string, tf.Scalar> = {
        reconstruction: tf.mean(joint!.reconstruction) as tf.Scalar,
        kl: tf.mean(joint!.kl) as tf.Scalar,
        ...reconstructionTerms(joint!.perModality),
      };
      unimodal.forEach((uni, m) => {
        // A sample without modality m has no unimodal term for it.
        const elbo = tf.mul(tf.add(uni.reconstruction, tf.mul(uni.kl, beta)), present[m]!);
        perSample = tf.add(perSample, elbo) as tf.Tensor1D;
        terms[`unimodal.${model.names[m]}`] = tf.mean(elbo) as tf.Scalar;
      });
      return { total: tf.mean(perSample) as tf.Scalar, terms, z: joint!.z };
    },
    encode(model, inputs) {
      const { experts, present } = unimodalExperts(model, inputs);
      const posterior = productOfExperts(experts, present);
      return { z: posterior.mu, posterior };
    },
  };
}
