/**
 * The deterministic joint autoencoder (standard, and sparse and stacked built on it): embeddings
 * → fusion → code z, reconstruction of every modality from z, plus the penalty on z a variant adds
 * (sparse). Stacked differs only in training (its greedy layer-wise phase first), not in its
 * objective.
 */
import * as tf from '@tensorflow/tfjs';
import type { Batch, ModalityBatch } from '../../data/contract.js';
import type {
  Encoding,
  LossRecord,
  Objective,
  ObjectiveModel,
  Regulariser,
  StepContext,
} from '../contract.js';
import { embedAll } from '../shared/embed-all.js';
import { encodingPresence } from '../shared/modality-dropout.js';

/** A penalty on the code, added to the total with its weight. */
export interface CodePenalty {
  readonly name: string;
  readonly weight: number;
  /** The penalty before its weight. */
  readonly of: (z: tf.Tensor2D) => tf.Scalar;
}

export interface DeterministicParts {
  /** The activation of the fused code. */
  readonly activate: (x: tf.Tensor2D) => tf.Tensor2D;
  /** Share of training samples encoded from one modality (modality dropout). */
  readonly modalityDropout: number;
  readonly penalty?: CodePenalty;
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
      const present = encodingPresence(model, batch, context, parts.modalityDropout);
      const z = encodeWith(model, batch.inputs, present);
      const { perModality, perSample } = model.reconstruct(z, batch.inputs);
      const reconstruction = tf.mean(perSample) as tf.Scalar;
      const regularisers: Record<string, Regulariser> = {};
      let total = reconstruction;
      if (parts.penalty) {
        const { name, weight, of } = parts.penalty;
        const value = of(z);
        regularisers[name] = { value, weight };
        total = tf.add(total, tf.mul(value, weight)) as tf.Scalar;
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
