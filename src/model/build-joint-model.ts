/**
 * Builds the joint model from a config: the config's variant bound to its options, then per
 * modality the plugin's encoder and decoder plus a projection sized for the variant's objective,
 * and the fusion when the variant uses one. Shapes are checked here, at build time, with both
 * shapes in the message (the contract MultiVae leaves implicit).
 */
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_FUSION, DEFAULT_FUSION_INPUT_SIZE, type RunConfig } from '../config/schema.js';
import type { PluginRegistry } from '../container/registry.js';
import { parsePluginOptions } from '../container/parse-plugin-options.js';
import { variantOfConfig } from '../container/variant-of-config.js';
import { PluginError, ShapeError } from '../errors/errors.js';
import type { FusionInstance } from '../fusion/contract.js';
import { deriveSeed } from '../random/seeded-random.js';
import { withSeededMathRandom } from '../random/with-seeded-math-random.js';
import type { BoundVariant } from '../variants/bound-variant.js';
import type { ObjectiveShapes } from '../variants/contract.js';
import { JointModel, type ModalityPart } from './joint-model.js';
import type { ModalitySetup } from './modality-instances.js';

export interface BuildJointModelArgs {
  readonly config: RunConfig;
  /** The config's modalities, fitted or restored (modality-instances.ts). */
  readonly setups: readonly ModalitySetup[];
  /** Where the config's variant and fusion are looked up. */
  readonly registry: PluginRegistry;
}

export function buildJointModel(args: BuildJointModelArgs): JointModel {
  return withSeededMathRandom(deriveSeed(args.config.seed, 'weights'), () => build(args));
}

function build({ config, setups, registry }: BuildJointModelArgs): JointModel {
  const variant = variantOfConfig(config, registry);
  const latent = config.model.latentSize;
  const fusionRef = config.fusion ?? DEFAULT_FUSION;
  const strategy = variant.usesFusion ? registry.fusion(fusionRef.id) : undefined;
  const fusionOptions =
    strategy && parsePluginOptions(strategy, fusionRef.options, 'fusion.options');
  const shapes = variant.objective.shapes(
    latent,
    strategy && {
      inputSize: config.model.fusionInputSize ?? DEFAULT_FUSION_INPUT_SIZE,
      needsLatentSizedInputs: strategy.needsLatentSizedInputs,
    },
  );
  checkShapes(variant, shapes);
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
  if (strategy && shapes.fusionOutputSize !== undefined) {
    const outputSize = shapes.fusionOutputSize;
    fusion = strategy.create({
      modalities: parts.map((p) => p.name),
      inputSize: shapes.projectionSize,
      outputSize,
      options: fusionOptions,
    });
    tf.tidy(() => {
      const e = parts.map(() => tf.zeros([1, shapes.projectionSize]) as tf.Tensor2D);
      const ones = parts.map(() => tf.ones([1]) as tf.Tensor1D);
      const out = fusion!.apply(e, ones);
      if (out.shape[1] !== outputSize) {
        throw new ShapeError(
          `fusion "${strategy.id}" returned width ${out.shape[1]}, expected ${outputSize}`,
        );
      }
    });
  }
  return new JointModel(parts, fusion, variant, latent);
}

/** A variant's widths must match what it declares: a fusion width exactly when it uses one. */
function checkShapes(variant: BoundVariant, shapes: ObjectiveShapes): void {
  const hasWidth = shapes.fusionOutputSize !== undefined;
  if (hasWidth === variant.usesFusion) return;
  throw new PluginError(
    `variant "${variant.id}" declares usesFusion: ${variant.usesFusion} but its objective's ` +
      `shapes() ${hasWidth ? 'gives' : 'gives no'} fusionOutputSize; make the two agree.`,
  );
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
