/**
 * Builds the joint model from a config: per modality the plugin's encoder and decoder plus a
 * projection sized for the objective; the fusion when the family uses one. Shapes are checked
 * here, at build time, with both shapes in the message (the contract MultiVae leaves implicit).
 */
import * as tf from '@tensorflow/tfjs';
import type { RunConfig } from '../config/schema.js';
import type { PluginRegistry } from '../container/registry.js';
import { ShapeError } from '../errors/errors.js';
import type { FusionInstance } from '../fusion/contract.js';
import type { ModalitySetup } from './setup-modalities.js';
import { parsePluginOptions } from '../container/parse-plugin-options.js';
import { createObjective } from '../objectives/registry.js';
import { deriveSeed } from '../random/seeded-random.js';
import { withSeededMathRandom } from '../random/with-seeded-math-random.js';
import { JointModel, type ModalityPart } from './joint-model.js';

export function buildJointModel(
  config: RunConfig,
  setups: readonly ModalitySetup[],
  registry: PluginRegistry,
): JointModel {
  return withSeededMathRandom(deriveSeed(config.seed, 'weights'), () =>
    build(config, setups, registry),
  );
}

function build(
  config: RunConfig,
  setups: readonly ModalitySetup[],
  registry: PluginRegistry,
): JointModel {
  const objective = createObjective(config.model);
  const strategy = registry.fusion(config.fusion.id);
  const fusionOptions = parsePluginOptions(strategy, config.fusion.options, 'fusion.options');
  const latent = config.model.latentSize;
  const shapes = objective.shapes(
    latent,
    config.model.fusionInputSize,
    strategy.needsLatentSizedInputs,
  );
  const parts = setups.map((setup): ModalityPart => {
    const encoder = setup.instance.buildEncoder();
    const hidden = lastDim(encoder.outputs[0]!.shape, `${setup.name} encoder output`);
    const projection = tf.layers.dense({ units: shapes.projectionSize, inputShape: [hidden] });
    const decoder = setup.instance.buildDecoder(latent);
    checkDecoder(setup, decoder, latent);
    return {
      name: setup.name,
      instance: setup.instance,
      weight: setup.weight,
      encoder,
      projection,
      projectionSize: shapes.projectionSize,
      decoder,
    };
  });
  tf.tidy(() => {
    // Builds the projections' weights now, so weights can be listed and loaded before training.
    parts.forEach((p) => p.projection.apply(tf.zeros([1, p.projection.batchInputShape![1]!])));
  });
  let fusion: FusionInstance | undefined;
  if (shapes.fusionOutputSize > 0) {
    fusion = strategy.create({
      modalities: parts.map((p) => p.name),
      inputSize: shapes.projectionSize,
      outputSize: shapes.fusionOutputSize,
      options: fusionOptions,
    });
    tf.tidy(() => {
      const e = parts.map(() => tf.zeros([1, shapes.projectionSize]) as tf.Tensor2D);
      const ones = parts.map(() => tf.ones([1]) as tf.Tensor1D);
      const out = fusion!.apply(e, ones);
      if (out.shape[1] !== shapes.fusionOutputSize) {
        throw new ShapeError(
          `fusion "${strategy.id}" returned width ${out.shape[1]}, expected ${shapes.fusionOutputSize}`,
        );
      }
    });
  }
  return new JointModel(parts, fusion, objective, latent);
}

function lastDim(shape: readonly (number | null)[], what: string): number {
  if (shape.length !== 2 || typeof shape[1] !== 'number') {
    throw new ShapeError(`${what} must be [batch, size], got [${shape.join(', ')}]`);
  }
  return shape[1];
}

/** The decoder must produce something the modality's loss accepts for its feature shape. */
function checkDecoder(setup: ModalitySetup, decoder: tf.LayersModel, latent: number): void {
  const spec = setup.instance.featureSpec;
  const forcing = setup.instance.teacherForcing;
  tf.tidy(() => {
    const z = tf.zeros([2, latent]);
    const target = tf.zeros([2, ...spec.shape], spec.dtype);
    const inputs = forcing ? [z, forcing.decoderInputs(target)] : z;
    const output = decoder.apply(inputs) as tf.Tensor;
    try {
      const loss = setup.instance.reconstructionLoss(target, output);
      if (loss.shape.length !== 1 || loss.shape[0] !== 2)
        throw new Error(`loss shape [${loss.shape}]`);
    } catch (error) {
      throw new ShapeError(
        `modality "${setup.name}": decoder output [batch, ${output.shape.slice(1).join(', ')}] ` +
          `does not fit its features [batch, ${spec.shape.join(', ')}] ` +
          `(${(error as Error).message}). Check the decoder options.`,
      );
    }
  });
}
