/**
 * The public face of a trained run: encode any subset of modalities into the shared latent,
 * decode a latent into any modality, translate between modalities. It holds an opened model and
 * reads no file itself, so it serves a run opened from disk (load-run.ts) and one opened from
 * bytes in a browser (load-run-files.ts) alike.
 */
import * as tf from '@tensorflow/tfjs';
import { UsageError } from '../errors/errors.js';
import type { OpenedRun } from '../open/open-run.js';
import type { Artefact } from '../modality/contract.js';
import { encodePrepared, prepareValues } from '../model/encode-sample.js';
import { checkLatent, checkName, checkRawInput, checkSampleObject } from './check-api-input.js';
import { toRawValue, type RawInput } from '../data/raw-input.js';
import type { VectorFilter, VectorStore } from '../search/vector-store.js';

/** One sample: a non-empty subset of the run's modalities, by name. */
export type MultimodalInput = Readonly<Record<string, RawInput | undefined>>;

export interface Decoded {
  /** The features in the modality's prepared space (pixels in [0,1], token ids, log-mel). */
  readonly features: Float32Array | Int32Array;
  /** The user-facing artefact: PNG, caption or WAV. */
  readonly artefact: Artefact;
}

/** What LoadedModel needs of an opened run; the checkpoint where it is known (a run on disk). */
export type OpenedModel = Pick<OpenedRun, 'runDir' | 'registry' | 'setups' | 'model'> &
  Partial<Pick<OpenedRun, 'checkpoint'>>;

export interface RetrieveOptions {
  /** The gallery to search: any VectorStore (the in-process store, or openPostgresGallery's). */
  readonly store: VectorStore;
  readonly k: number;
  readonly filter?: VectorFilter;
  readonly efSearch?: number;
}

/** One neighbour: score is 1 − distance (the cosine similarity for a cosine gallery). */
export interface RetrievedItem {
  readonly rank: number;
  readonly id: string;
  readonly label?: number;
  readonly distance: number;
  readonly score: number;
}

export class LoadedModel {
  private disposed = false;

  constructor(private readonly run: OpenedModel) {}

  get modalities(): readonly string[] {
    return this.run.model.names;
  }

  get latentSize(): number {
    return this.run.model.latentSize;
  }

  get runDir(): string {
    return this.run.runDir;
  }

  /** The checkpoint this model was opened from (undefined for a run opened from bytes). */
  get checkpoint(): OpenedRun['checkpoint'] | undefined {
    return this.run.checkpoint;
  }

  /** Encodes `input` and searches `options.store` for its k nearest items, nearest first. */
  async retrieve(input: MultimodalInput, options: RetrieveOptions): Promise<RetrievedItem[]> {
    this.checkLive('retrieve');
    const store = options?.store as Partial<VectorStore> | undefined;
    if (typeof store?.search !== 'function' || store.dims !== this.latentSize) {
      throw new UsageError(
        `retrieve(input, options): options.store must be a VectorStore of ${this.latentSize}-dim ` +
          `codes (this model's latent), e.g. from openPostgresGallery; got ${
            typeof store?.search === 'function' ? `one of ${String(store.dims)} dims` : 'none'
          }.`,
      );
    }
    const code = await this.encode(input);
    const [hits = []] = await (store as VectorStore).search(code, options.k, {
      ...(options.filter ? { filter: options.filter } : {}),
      ...(options.efSearch !== undefined ? { efSearch: options.efSearch } : {}),
    });
    return hits.map((h, i) => ({ rank: i + 1, ...h, score: 1 - h.distance }));
  }

  /** The shared-latent code of one sample (the posterior mean for VAE families). */
  async encode(input: MultimodalInput): Promise<Float32Array> {
    this.checkLive('encode');
    const sample = checkSampleObject(input, 'encode(input)');
    const names = Object.keys(sample).filter((k) => sample[k] !== undefined);
    if (names.length === 0) {
      throw new UsageError(`encode needs at least one of: ${this.modalities.join(', ')}`);
    }
    const values = names.map((name) => {
      const setup = this.setup(name);
      const plugin = this.run.registry.modality(setup.pluginId);
      const raw = checkRawInput(sample[name], `encode(input): input.${name}`, plugin);
      return { setup, raw: toRawValue(raw, plugin) };
    });
    const prepared = await prepareValues(values);
    // dispose() may have been called while the inputs were being read.
    this.checkLive('encode');
    return encodePrepared(this.run.model, prepared);
  }

  /** Decodes a latent code into a modality: features and the rendered artefact. */
  async decode(latent: ArrayLike<number>, modality: string): Promise<Decoded> {
    this.checkLive('decode');
    const setup = this.setup(checkName(modality, 'decode(latent, modality): modality'));
    // A NaN or a 1e39 (Infinity in float32) would decode to NaN features without a word.
    const values = checkLatent(latent, this.latentSize, 'decode(latent, modality): latent');
    const out = tf.tidy(() => {
      const z = tf.tensor2d(values, [1, this.latentSize]);
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
    this.checkLive('translate');
    // The target is checked first, so a bad one costs no encoding.
    this.setup(checkName(to, 'translate(input, to): to'));
    return this.decode(await this.encode(input), to);
  }

  /** Frees the model's weights; the model cannot be used afterwards. A second call does nothing. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.run.model.dispose();
  }

  private checkLive(method: string): void {
    if (this.disposed) {
      throw new UsageError(
        `${method}: this model was disposed; loadRun ${this.run.runDir} again to use it.`,
      );
    }
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
