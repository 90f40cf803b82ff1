/**
 * The joint multimodal autoencoder's parts: per modality an encoder, a projection into the
 * fusion's input space and a decoder; the fusion, when the variant uses one; the variant, whose
 * objective ties them together.
 * The data path reads top to bottom: features → encoder → projection → fusion/objective →
 * latent → decoder → reconstruction loss.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModalityBatch } from '../data/contract.js';
import type { FusionInstance } from '../fusion/contract.js';
import { PluginError } from '../errors/errors.js';
import type { ModalityInstance } from '../modality/contract.js';
import type { BoundVariant } from '../variants/bound-variant.js';
import type { Encoding, Objective, ObjectiveModel } from '../variants/contract.js';
import { applyDecoder } from './apply-decoder.js';

export interface ModalityPart {
  /** The modality's name in the config, dataset and API. */
  readonly name: string;
  readonly instance: ModalityInstance;
  readonly weight: number;
  readonly encoder: tf.Sequential;
  readonly projection: tf.layers.Layer;
  /** Width of the projection's output (known before the layer is ever called). */
  readonly projectionSize: number;
  /** One input (the latent), or two for a teacher-forced decoder: [latent, decoder inputs]. */
  readonly decoder: tf.LayersModel;
}

export interface NamedVariable {
  readonly name: string;
  readonly variable: tf.LayerVariable;
}

export class JointModel implements ObjectiveModel {
  readonly names: readonly string[];
  readonly objective: Objective;
  /** Set by the trainer: layers such as dropout behave differently while training. */
  training = false;
  private readonly byName: ReadonlyMap<string, ModalityPart>;

  constructor(
    readonly parts: readonly ModalityPart[],
    readonly fusion: FusionInstance | undefined,
    /** The config's variant with its options: the objective, its training phase and report. */
    readonly variant: BoundVariant,
    readonly latentSize: number,
  ) {
    this.objective = variant.objective;
    this.names = parts.map((p) => p.name);
    this.byName = new Map(parts.map((p) => [p.name, p]));
  }

  part(name: string): ModalityPart {
    const part = this.byName.get(name);
    if (!part) {
      throw new RangeError(`unknown modality "${name}"; this model has: ${this.names.join(', ')}`);
    }
    return part;
  }

  /** features → encoder → projection, [b, projectionSize]. */
  embed(name: string, features: tf.Tensor): tf.Tensor2D {
    const part = this.part(name);
    const hidden = part.encoder.apply(features, { training: this.training }) as tf.Tensor;
    return part.projection.apply(hidden) as tf.Tensor2D;
  }

  /** Fuses projections; `present` masks are [b] 0/1. */
  fuse(embeddings: readonly tf.Tensor2D[], present: readonly tf.Tensor1D[]): tf.Tensor2D {
    if (!this.fusion) {
      // The builder makes a fusion for every variant that declares one, so this is a variant
      // whose objective calls what it said it would not.
      throw new PluginError(
        `variant "${this.variant.id}" declares usesFusion: false, yet its objective called fuse(); ` +
          'declare usesFusion: true or combine the embeddings in the objective.',
      );
    }
    return this.fusion.apply(embeddings, present);
  }

  /**
   * Latent → decoder output. A teacher-forced decoder reads `target` when given (training's
   * reconstruction loss) and generates from the latent alone otherwise.
   */
  decode(name: string, z: tf.Tensor2D, target?: tf.Tensor): tf.Tensor {
    const part = this.part(name);
    return applyDecoder(part.instance, part.decoder, z, {
      training: this.training,
      ...(target ? { target } : {}),
    });
  }

  /**
   * Weighted reconstruction loss of every modality the batch carries, from one code. Samples
   * without a modality contribute nothing for it. Returns the per-modality batch means and the
   * per-sample total [b].
   */
  reconstruct(
    z: tf.Tensor2D,
    targets: Readonly<Record<string, ModalityBatch>>,
  ): { perModality: Record<string, tf.Scalar>; perSample: tf.Tensor1D } {
    return this.weighReconstruction(this.reconstructionLosses(z, targets), z.shape[0]);
  }

  /** Each carried modality's unweighted per-sample loss [b], 0 where a sample lacks it. */
  reconstructionLosses(
    z: tf.Tensor2D,
    targets: Readonly<Record<string, ModalityBatch>>,
  ): Record<string, tf.Tensor1D> {
    const losses: Record<string, tf.Tensor1D> = {};
    for (const part of this.parts) {
      const target = targets[part.name];
      if (!target) continue;
      const output = this.decode(part.name, z, target.features);
      losses[part.name] = tf.mul(
        part.instance.reconstructionLoss(target.features, output),
        target.present,
      );
    }
    return losses;
  }

  /** Per-modality means and the weighted per-sample total of `reconstructionLosses`. */
  weighReconstruction(
    losses: Readonly<Record<string, tf.Tensor1D>>,
    rows: number,
  ): { perModality: Record<string, tf.Scalar>; perSample: tf.Tensor1D } {
    const perModality: Record<string, tf.Scalar> = {};
    let perSample: tf.Tensor1D = tf.zeros([rows]);
    for (const [name, loss] of Object.entries(losses)) {
      perModality[name] = tf.mean(loss) as tf.Scalar;
      perSample = tf.add(perSample, tf.mul(loss, this.part(name).weight));
    }
    return { perModality, perSample };
  }

  encode(inputs: Readonly<Record<string, ModalityBatch>>): Encoding {
    return this.objective.encode(this, inputs);
  }

  /** Every trainable weight with a stable name: `<module>/<layer index>/<weight>`. */
  namedWeights(): NamedVariable[] {
    const out: NamedVariable[] = [];
    const addLayers = (module: string, layers: readonly tf.layers.Layer[]) => {
      layers.forEach((layer, index) => {
        for (const variable of layer.weights) {
          const short = variable.originalName.split('/').pop() ?? variable.originalName;
          out.push({ name: `${module}/${index}/${short}`, variable });
        }
      });
    };
    for (const part of this.parts) {
      addLayers(`encoder.${part.name}`, part.encoder.layers);
      addLayers(`projection.${part.name}`, [part.projection]);
      addLayers(`decoder.${part.name}`, part.decoder.layers);
    }
    if (this.fusion) addLayers('fusion', this.fusion.layers);
    return out;
  }

  trainableVariables(): tf.Variable[] {
    return this.namedWeights()
      .filter((w) => w.variable.trainable)
      .map((w) => w.variable.read() as tf.Variable);
  }

  /** Keras topologies of each module, stored in model.json for inspection and browsers. */
  topologies(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const part of this.parts) {
      out[`encoder.${part.name}`] = part.encoder.toJSON(null, false);
      out[`decoder.${part.name}`] = part.decoder.toJSON(null, false);
    }
    return out;
  }

  dispose(): void {
    for (const part of this.parts) {
      part.encoder.dispose();
      part.decoder.dispose();
      if (part.projection.built) part.projection.dispose();
    }
    for (const layer of this.fusion?.layers ?? []) if (layer.built) layer.dispose();
  }
}
