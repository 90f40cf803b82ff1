/**
 * The public face of a trained run: encode any subset of modalities into the shared latent,
 * decode a latent into any modality, translate between modalities.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModalityBatch } from '../data/contract.js';
import { UsageError } from '../errors/errors.js';
import { openRun, type OpenedRun, type OpenRunOptions } from '../experiment/open-run.js';
import type { Artefact } from '../modality/contract.js';
import { toRawValue, type RawInput } from './raw-input.js';

/** One sample: a non-empty subset of the run's modalities, by name. */
export type MultimodalInput = Readonly<Record<string, RawInput | undefined>>;

export interface Decoded {
  /** The features in the modality's prepared space (pixels in [0,1], token ids, log-mel). */
  readonly features: Float32Array | Int32Array;
  /** The user-facing artefact: PNG, caption or WAV. */
  readonly artefact: Artefact;
}

export class LoadedModel {
  constructor(private readonly run: OpenedRun) {}

  get modalities(): readonly string[] {
    return this.run.model.names;
  }

  get latentSize(): number {
    return this.run.model.latentSize;
  }

  get runDir(): string {
    return this.run.runDir;
  }

  /** The shared-latent code of one sample (the posterior mean for VAE families). */
  async encode(input: MultimodalInput): Promise<Float32Array> {
    const names = Object.keys(input).filter((k) => input[k] !== undefined);
    if (names.length === 0) {
      throw new UsageError(`encode needs at least one of: ${this.modalities.join(', ')}`);
    }
    const features: Record<string, Float32Array | Int32Array> = {};
    for (const name of names) {
      const setup = this.setup(name);
      features[name] = await setup.instance.prepare(
        toRawValue(input[name]!, setup.pluginId),
        `input.${name}`,
      );
    }
    const code = tf.tidy(() => {
      const inputs: Record<string, ModalityBatch> = {};
      for (const name of names) {
        const spec = this.setup(name).instance.featureSpec;
        inputs[name] = {
          features: tf.tensor(features[name]!, [1, ...spec.shape], spec.dtype),
          present: tf.ones([1]),
        };
      }
      return this.run.model.encode(inputs).z;
    });
    const out = code.dataSync() as Float32Array;
    code.dispose();
    return Float32Array.from(out);
  }

  /** Decodes a latent code into a modality: features and the rendered artefact. */
  async decode(latent: ArrayLike<number>, modality: string): Promise<Decoded> {
    const setup = this.setup(modality);
    if (latent.length !== this.latentSize) {
      throw new UsageError(`a latent must have ${this.latentSize} values, got ${latent.length}`);
    }
    // A NaN latent would decode to NaN features and render as garbage without a word.
    const bad = Array.from(latent).findIndex((v) => !Number.isFinite(v));
    if (bad >= 0) {
      throw new UsageError(
        `latent value ${bad} is ${latent[bad]}; a latent must hold finite numbers, e.g. from encode`,
      );
    }
    const out = tf.tidy(() => {
      const z = tf.tensor2d(Float32Array.from(latent), [1, this.latentSize]);
      return setup.instance.outputToFeatures(this.run.model.decode(modality, z));
    });
    const features = (
      setup.instance.featureSpec.dtype === 'int32'
        ? Int32Array.from(out.dataSync())
        : Float32Array.from(out.dataSync())
    ) as Float32Array | Int32Array;
    out.dispose();
    return { features, artefact: await setup.instance.render(features) };
  }

  /** Generates `to` from whatever the input carries: encode, then decode. */
  async translate(input: MultimodalInput, to: string): Promise<Decoded> {
    return this.decode(await this.encode(input), to);
  }

  dispose(): void {
    this.run.model.dispose();
  }

  private setup(name: string) {
    const setup = this.run.setups.find((s) => s.name === name);
    if (!setup) {
      throw new UsageError(
        `this run has no modality "${name}"; it was trained on: ${this.modalities.join(', ')}`,
      );
    }
    return setup;
  }
}

/** Opens a trained run (a run directory, or a run's name under runs/). */
export async function loadRun(
  pathOrName: string,
  options: OpenRunOptions = {},
): Promise<LoadedModel> {
  return new LoadedModel(await openRun(pathOrName, options));
}
