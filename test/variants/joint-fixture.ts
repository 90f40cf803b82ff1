/**
 * Shared set-up for the objective tests: a small image+caption config on mnist-captions, one
 * training run per family, and hand-built batches whose rows carry different modality subsets.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { parseConfig } from '../../src/config/load-config.js';
import type { RunConfig } from '../../src/config/schema.js';
import type { ModalityBatch } from '../../src/data/contract.js';
import { trainJob } from '../../src/experiment/train-job.js';
import type { JointModel } from '../../src/model/joint-model.js';
import { BUILTIN_VARIANTS } from '../../src/variants/builtin-variants.js';

export const LATENT = 8;
export const CAPTION_LENGTH = 8;

/** Whether a built-in variant uses a fusion (a user's variant is assumed to). */
export function usesFusion(variant: string): boolean {
  return BUILTIN_VARIANTS.find((v) => v.id === variant)?.usesFusion ?? true;
}

/** A small joint model on 600 captioned MNIST digits. */
export function smallJointConfig(
  variant: string,
  options: { fusion?: string; model?: Record<string, unknown>; epochs?: number } = {},
): RunConfig {
  return parseConfig(
    {
      name: `test-joint-${variant}`,
      seed: 11,
      backend: 'wasm',
      dataset: {
        id: 'mnist-captions',
        options: { trainLimit: 600, validationSize: 200, testLimit: 200 },
      },
      modalities: [
        { id: 'image', options: { hiddenSizes: [64, 32], likelihood: 'bernoulli' } },
        {
          id: 'text',
          options: {
            encoder: 'mean',
            maxLength: CAPTION_LENGTH,
            embeddingSize: 16,
            hiddenSize: 32,
          },
        },
      ],
      // Only a variant that uses a fusion may name one; the others refuse a fusion: block.
      ...(options.fusion === 'concat'
        ? { fusion: { id: 'concat', options: { hidden: [32] } } }
        : options.fusion
          ? { fusion: { id: options.fusion } }
          : {}),
      // fusionInputSize is the fusion's: a variant without one refuses it.
      model: {
        variant,
        latentSize: LATENT,
        ...(usesFusion(variant) ? { fusionInputSize: 16 } : {}),
        ...options.model,
      },
      training: { epochs: options.epochs ?? 3, batchSize: 50, validationLimit: 100 },
    },
    'test config',
  );
}

export interface TrainedJoint {
  readonly model: JointModel;
  /** The run directory the training wrote. */
  readonly runDir: string;
  /** Mean training loss of each epoch, first to last. */
  readonly trainLosses: number[];
  dispose(): Promise<void>;
}

/** Trains the config quietly in a temp run directory. */
export async function trainJoint(config: RunConfig): Promise<TrainedJoint> {
  const dir = await mkdtemp(join(tmpdir(), 'mmae-objective-'));
  const { model, result } = await trainJob({
    config: { config, baseDir: dir },
    out: join(dir, 'run'),
    quiet: true,
    log: () => {},
  });
  return {
    model,
    runDir: join(dir, 'run'),
    trainLosses: result.history.map((h) => h.train.total!),
    async dispose() {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Rows 0..b/2-1 carry only the image, the rest only the caption. */
export function imageOrTextRows(b: number): { image: tf.Tensor1D; text: tf.Tensor1D } {
  const half = Math.floor(b / 2);
  const image = tf.tensor1d(Array.from({ length: b }, (_, i) => (i < half ? 1 : 0)));
  return { image, text: tf.sub(1, image) as tf.Tensor1D };
}

/** Random pixels and random word ids (ids ≥ 4 skip the special tokens); seeded. */
export function randomInputs(
  b: number,
  seed: number,
  present: { image: tf.Tensor1D; text: tf.Tensor1D },
): Record<string, ModalityBatch> {
  return {
    image: {
      features: tf.randomUniform([b, 28, 28, 1], 0, 1, 'float32', seed),
      present: present.image,
    },
    text: {
      features: tf.randomUniform([b, CAPTION_LENGTH], 4, 12, 'int32', seed + 1),
      present: present.text,
    },
  };
}
