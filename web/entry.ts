/**
 * mmae in a browser tab (the bundle web/build.mjs makes, dist/mmae-web.js): open a trained run
 * from the URL of its directory and encode, decode and generate with it, on the portable core
 * and the portable built-in plugins, on the best TensorFlow.js backend the tab offers. The run's
 * own files are the model: manifest.json, config.json, model.json, state.json and weights.bin,
 * checked as openRun checks them on disk. Nothing here is Node's: a test bundles this entry and
 * runs it in Chromium against LoadedModel in Node (test/browser/).
 */
import * as tf from '@tensorflow/tfjs';
import type { ContainerModule } from 'inversify';
import { loadRunFiles, type Decoded, type LoadedModel, type MultimodalInput } from 'mmae/portable';
import { portableAudioModule } from '../plugins/audio/portable.js';
import concatFusionModule from '../plugins/fusion-concat/index.js';
import gatedFusionModule from '../plugins/fusion-gated/index.js';
import lowRankFusionModule from '../plugins/fusion-low-rank/index.js';
import meanFusionModule from '../plugins/fusion-mean/index.js';
import tensorFusionModule from '../plugins/fusion-tensor/index.js';
import { portableImageModule } from '../plugins/image/portable.js';
import { portableTextModule } from '../plugins/text/portable.js';
import {
  chooseBrowserBackend,
  type BrowserBackendChoice,
  type BrowserBackendRequest,
} from './backends.js';
import { fetchRunFiles, runDirectoryUrl, type Fetch } from './fetch-run.js';

export { BROWSER_BACKEND_REQUESTS, type BrowserBackendRequest } from './backends.js';
// Training in the tab (web/train-page.ts): the portable trainer, the shipped configs and their
// samples, and "Save run" as a zip.
export {
  trainInMemory,
  parseConfig,
  loadRunFiles,
  RUN_FILES,
  type TrainedInMemory,
  type StepProgress,
  type EpochMetrics,
} from 'mmae/portable';
export { PAGE_CONFIGS, type PageConfig } from './page-configs.js';
export { parseTrainData, rawSplitOf, TRAIN_DATA_LIMITS, type TrainData } from './train-data.js';
export { zipStore, unzipStore, crc32 } from './zip.js';

declare const __MMAE_VERSION__: string;
/** mmae's version, as the build read it from package.json. */
export const MMAE_VERSION: string =
  typeof __MMAE_VERSION__ === 'string' ? __MMAE_VERSION__ : 'unknown';

/** Starts a TensorFlow.js backend as openRun does (for training, which opens no run). */
export function startBackend(
  request: BrowserBackendRequest = 'auto',
  wasmPath?: string,
): Promise<BrowserBackendChoice> {
  return chooseBrowserBackend(request, {
    wasmPath: wasmPath ?? new URL('wasm/', import.meta.url).href,
  });
}

/** Tensors alive in the tab's TensorFlow.js engine (a leak shows here). */
export function tensorCount(): number {
  return tf.memory().numTensors;
}
export type { BrowserBackendChoice, BrowserBackendName } from './backends.js';
export type { Decoded, MultimodalInput } from 'mmae/portable';

/** Every built-in plugin that runs in a browser: a run made of built-ins opens with no option. */
export const BUILTIN_BROWSER_MODULES: readonly ContainerModule[] = [
  portableImageModule,
  portableTextModule,
  portableAudioModule,
  meanFusionModule,
  concatFusionModule,
  gatedFusionModule,
  tensorFusionModule,
  lowRankFusionModule,
];

export interface OpenRunOptions {
  /** 'auto' (default): webgpu, then webgl, then wasm, then cpu, the first that starts. */
  readonly backend?: BrowserBackendRequest;
  /**
   * The folder URL tfjs-backend-wasm's binaries are served from; default: `wasm/` beside this
   * bundle, where the build puts them.
   */
  readonly wasmPath?: string;
  /** A user's own plugins' portable modules, after the built-ins. */
  readonly modules?: readonly ContainerModule[];
  /** Replaces the page's fetch (credentials, a cache). */
  readonly fetch?: Fetch;
}

/** A modality of the run as its config resolved it: its name, plugin and options. */
export interface RunModality {
  readonly name: string;
  readonly plugin: string;
  readonly options: Readonly<Record<string, unknown>>;
}

/** A run open in the tab. */
export interface BrowserRun {
  readonly url: string;
  readonly backend: BrowserBackendChoice;
  readonly modalities: readonly RunModality[];
  readonly latentSize: number;
  /** The LoadedModel itself, as `loadRun` gives it in Node. */
  readonly model: LoadedModel;
  encode(input: MultimodalInput): Promise<Float32Array>;
  decode(latent: ArrayLike<number>, modality: string): Promise<Decoded>;
  /** Generates `to` from what the input carries (encode, then decode), as `mmae generate` does. */
  generate(input: MultimodalInput, to: string): Promise<Decoded>;
  dispose(): void;
}

export async function openRun(url: string, options: OpenRunOptions = {}): Promise<BrowserRun> {
  const dir = runDirectoryUrl(url, globalThis.location?.href);
  const backend = await chooseBrowserBackend(options.backend ?? 'auto', {
    wasmPath: options.wasmPath ?? new URL('wasm/', import.meta.url).href,
  });
  const fetchFile = options.fetch ?? ((u: string) => fetch(u));
  const files = await fetchRunFiles(dir, fetchFile);
  const model = await loadRunFiles(files, {
    modules: [...BUILTIN_BROWSER_MODULES, ...(options.modules ?? [])],
    name: dir.href.replace(/\/$/, ''),
  });
  const modalities = modalitiesOf(files.config);
  return {
    url: dir.href,
    backend,
    modalities,
    latentSize: model.latentSize,
    model,
    encode: (input) => model.encode(input),
    decode: (latent, modality) => model.decode(latent, modality),
    generate: (input, to) => model.translate(input, to),
    dispose: () => model.dispose(),
  };
}

/**
 * The modalities as config.json resolved them (loadRunFiles has checked it by then), so a page
 * knows, say, the image geometry to draw an upload at.
 */
function modalitiesOf(config: Uint8Array): RunModality[] {
  const parsed = JSON.parse(new TextDecoder().decode(config)) as {
    modalities: { id: string; name?: string; options?: Record<string, unknown> }[];
  };
  return parsed.modalities.map((m) => ({
    name: m.name ?? m.id,
    plugin: m.id,
    options: m.options ?? {},
  }));
}
