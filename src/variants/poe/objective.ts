/**
 * MVAE (Wu & Goodman 2018): the joint posterior is the product of the present unimodal experts
 * and a prior expert. The sub-sampled ELBO sums the joint ELBO and one ELBO per single modality,
 * each reconstructing every modality the sample carries, so unimodal posteriors learn to stand in
 * for the joint one. The loss record's reconstruction and kl are the joint term's; each unimodal
 * ELBO is logged in its two parts, unimodal.<modality>.reconstruction and .kl.
 */
import * as tf from '@tensorflow/tfjs';
import { deriveSeed } from '../../random/seeded-random.js';
import type { Objective, Regulariser } from '../contract.js';
import { sampleExpertProducts } from '../../ops/poe-sample.js';
import { elboTermsOfSamples } from '../shared/elbo-terms.js';
import { embedAll } from '../shared/embed-all.js';
import { carriedExpertsProduct, encodeByCarriedExperts } from '../shared/experts.js';
import { klWeight, type ElboOptions } from '../shared/elbo-options.js';

export interface PoeOptions extends ElboOptions {
  /** What each single-modality ELBO term reconstructs: every carried modality, or its own. */
  readonly unimodalReconstruction: 'all' | 'own';
}

export function poeObjective(options: PoeOptions): Objective {
  return {
    probabilistic: true,
    // Each embedding is its expert's [μ, log σ²]; the product is the fusion, so none is built.
    shapes: (latentSize) => ({ projectionSize: 2 * latentSize }),
    loss(model, batch, context) {
      const beta = klWeight(options, context);
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
        options.unimodalReconstruction === 'own'
          ? (code: number, name: string) => code === 0 || model.names[code - 1] === name
          : undefined;
      const [joint, ...unimodal] = elboTermsOfSamples(model, batch, samples, decodes);
      let perSample = tf.add(joint!.reconstruction, tf.mul(joint!.kl, beta)) as tf.Tensor1D;
      const regularisers: Record<string, Regulariser> = {
        kl: { value: tf.mean(joint!.kl) as tf.Scalar, weight: beta },
      };
      unimodal.forEach((uni, m) => {
        // A sample without modality m has no unimodal term for it. The term is an ELBO of its
        // own, logged as its two parts.
        const reconstruction = tf.mul(uni.reconstruction, present[m]!) as tf.Tensor1D;
        const kl = tf.mul(uni.kl, present[m]!) as tf.Tensor1D;
        perSample = tf.add(perSample, tf.add(reconstruction, tf.mul(kl, beta))) as tf.Tensor1D;
        const name = `unimodal.${model.names[m]}`;
        regularisers[`${name}.reconstruction`] = {
          value: tf.mean(reconstruction) as tf.Scalar,
          weight: 1,
        };
        regularisers[`${name}.kl`] = { value: tf.mean(kl) as tf.Scalar, weight: beta };
      });
      let codes: tf.Tensor2D | undefined;
      return {
        total: tf.mean(perSample) as tf.Scalar,
        reconstruction: tf.mean(joint!.reconstruction) as tf.Scalar,
        reconstructionByModality: joint!.perModality,
        regularisers,
        // The code encode gives: the mean of the joint posterior (z above is a draw of it),
        // computed only when read: training steps never read it.
        get codes() {
          return (codes ??= carriedExpertsProduct(embeddings, present).mu);
        },
      };
    },
    encode: encodeByCarriedExperts,
  };
}
