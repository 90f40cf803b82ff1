/**
 * The deterministic joint autoencoder (standard, sparse, stacked): embeddings → fusion → code z,
 * reconstruction of every modality from z, plus an optional sparsity penalty. Stacked differs only
 * in training (greedy layer-wise pre-training first), not in its objective.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelConfig, Variant } from '../config/schema.js';
import type { Batch, ModalityBatch } from '../data/contract.js';
import type { Encoding, LossRecord, Objective, ObjectiveModel, StepContext } from './contract.js';
import { embedAll } from './embed-all.js';
import { dropModalities } from './modality-dropout.js';
import { codeActivation, sparsityPenalty } from './sparsity-penalty.js';

export function deterministicObjective(variant: Variant, config: ModelConfig): Objective {
  const activate = codeActivation(config);
  const penalty = sparsityPenalty(config);

  const encodeWith = (
    model: ObjectiveModel,
    inputs: Readonly<Record<string, ModalityBatch>>,
    present?: readonly tf.Tensor1D[],
  ): tf.Tensor2D => {
    const embedded = embedAll(model, inputs, present);
    return activate(model.fuse(embedded.embeddings, embedded.present));
  };

  return {
    variant,
    probabilistic: false,
    shapes: (latentSize, fusionInputSize, needsLatentSized) => ({
      projectionSize: needsLatentSized ? latentSize : fusionInputSize,
      fusionOutputSize: latentSize,
    }),
    loss(model: ObjectiveModel, batch: Batch, context: StepContext): LossRecord {
      const present = model.names.map((n) => batch.inputs[n]?.present ?? tf.zeros([batch.size]));
      const encodePresent = context.training
        ? dropModalities(present as tf.Tensor1D[], config.modalityDropout, context.seed)
        : present;
      const z = encodeWith(model, batch.inputs, encodePresent as tf.Tensor1D[]);
      const { perModality, perSample } = model.reconstruct(z, batch.inputs);
      const reconstruction = tf.mean(perSample) as tf.Scalar;
      const terms: Record<string, tf.Scalar> = { reconstruction };
      for (const [name, value] of Object.entries(perModality))
        terms[`reconstruction.${name}`] = value;
      let total = reconstruction;
      if (penalty) {
        const sparsity = penalty(z);
        terms.sparsity = sparsity;
        total = tf.add(total, sparsity) as tf.Scalar;
      }
      return { total, terms, z };
    },
    encode(model, inputs): Encoding {
      return { z: encodeWith(model, inputs) };
    },
  };
}
