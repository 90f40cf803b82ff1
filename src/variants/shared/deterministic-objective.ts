/**
 * The deterministic joint autoencoder (standard, sparse, stacked): embeddings → fusion → code z,
 * reconstruction of every modality from z, plus the penalty on z a variant adds (sparse). Stacked
 * differs only in training (its greedy layer-wise phase first), not in its objective.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, ModalityBatch } from '../../data/contract.js';
import type { Encoding, LossRecord, Objective, ObjectiveModel, StepContext } from '../contract.js';
import { embedAll } from './embed-all.js';
import { dropModalities } from './modality-dropout.js';

export interface DeterministicParts {
  /** The activation of the fused code. */
  readonly activate: (x: tf.Tensor2D) => tf.Tensor2D;
  /** Share of training samples encoded from one modality (modality dropout). */
  readonly modalityDropout: number;
  /** A named penalty on the code, added to the total. */
  readonly penalty?: { readonly name: string; readonly of: (z: tf.Tensor2D) => tf.Scalar };
}

export function deterministicObjective(parts: DeterministicParts): Objective {
  const encodeWith = (
    model: ObjectiveModel,
    inputs: Readonly<Record<string, ModalityBatch>>,
    present?: readonly tf.Tensor1D[],
  ): tf.Tensor2D => {
    const embedded = embedAll(model, inputs, present);
    return parts.activate(model.fuse(embedded.embeddings, embedded.present));
  };

  return {
    probabilistic: false,
    shapes: (latentSize, fusion) => ({
      projectionSize: fusion?.needsLatentSizedInputs
        ? latentSize
        : (fusion?.inputSize ?? latentSize),
      fusionOutputSize: latentSize,
    }),
    loss(model: ObjectiveModel, batch: Batch, context: StepContext): LossRecord {
      const present = model.names.map((n) => batch.inputs[n]?.present ?? tf.zeros([batch.size]));
      const encodePresent = context.training
        ? dropModalities(present as tf.Tensor1D[], parts.modalityDropout, context.seed)
        : present;
      const z = encodeWith(model, batch.inputs, encodePresent as tf.Tensor1D[]);
      const { perModality, perSample } = model.reconstruct(z, batch.inputs);
      const reconstruction = tf.mean(perSample) as tf.Scalar;
      const regularisers: Record<string, tf.Scalar> = {};
      let total = reconstruction;
      if (parts.penalty) {
        const value = parts.penalty.of(z);
        regularisers[parts.penalty.name] = value;
        total = tf.add(total, value) as tf.Scalar;
      }
      return {
        total,
        reconstruction,
        reconstructionByModality: perModality,
        regularisers,
        codes: z,
      };
    },
    encode(model, inputs): Encoding {
      return { z: encodeWith(model, inputs) };
    },
  };
}
