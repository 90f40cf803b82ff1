/**
 * Frozen sentence vectors from a local transformers.js model: mean-pooled over tokens, then
 * L2-normalised. Loading is offline unless `allowRemote` is set; a missing model is a
 * ConfigError naming the directory that was searched.
 */
import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import { ConfigError, DataError } from 'mmae';
import type { PretrainedOptions } from '../options.js';
import type { SentenceFeatureExtractor } from '../text-io.js';

/** Longer captions are cut before tokenisation so the model never sees an unbounded input. */
const MAX_CHARACTERS = 4096;

type FeatureExtraction = (
  text: string,
  options: { pooling: 'mean'; normalize: boolean },
) => Promise<{ data: ArrayLike<number>; dims: number[] }>;

/** Models are loaded once per process and location, then shared by fit and every instance. */
const loaded = new Map<string, Promise<SentenceFeatureExtractor>>();
/**
 * transformers.js reads its location settings from a global `env`, so two loads must not
 * overlap: each waits for the one before it.
 */
let lastLoad: Promise<unknown> = Promise.resolve();

export function loadSentenceFeatureExtractor(
  options: PretrainedOptions,
): Promise<SentenceFeatureExtractor> {
  const location = locateModel(options);
  const cacheKey = JSON.stringify([location, options.allowRemote, options.quantized]);
  let extractor = loaded.get(cacheKey);
  if (extractor === undefined) {
    extractor = lastLoad.catch(() => undefined).then(() => load(location, options));
    lastLoad = extractor;
    loaded.set(cacheKey, extractor);
    // A failed load is not cached, so a fixed model directory can be retried.
    extractor.catch(() => loaded.delete(cacheKey));
  }
  return extractor;
}

interface ModelLocation {
  /** Directory that holds the model folder, or undefined to use the library default. */
  readonly root: string | undefined;
  readonly id: string;
}

function locateModel(options: PretrainedOptions): ModelLocation {
  const { model, localModelPath } = options;
  const looksLikePath = isAbsolute(model) || model.startsWith('.') || existsSync(resolve(model));
  if (looksLikePath) {
    const dir = resolve(model);
    return { root: dirname(dir), id: basename(dir) };
  }
  return { root: localModelPath === undefined ? undefined : resolve(localModelPath), id: model };
}

async function load(
  location: ModelLocation,
  options: PretrainedOptions,
): Promise<SentenceFeatureExtractor> {
  const modelDir = location.root === undefined ? location.id : join(location.root, location.id);
  if (!options.allowRemote && !existsSync(join(modelDir, 'config.json'))) {
    throw new ConfigError(
      `Pretrained text model '${options.model}' was not found at ${resolve(modelDir)} ` +
        `(no config.json) and remote models are off; put the model files there ` +
        `(config.json, tokenizer.json, onnx/model.onnx) or set pretrained.allowRemote: true.`,
      'pretrained.model',
    );
  }
  // Imported on first use: transformers.js and onnxruntime cost most of a second to load, and
  // most runs never ask for pretrained features.
  const { env, pipeline } = await import('@xenova/transformers');
  env.allowRemoteModels = options.allowRemote;
  env.allowLocalModels = true;
  if (location.root !== undefined) env.localModelPath = `${location.root}/`;

  let run: FeatureExtraction;
  try {
    const extractor = await pipeline('feature-extraction', location.id, {
      quantized: options.quantized,
    });
    run = extractor as unknown as FeatureExtraction;
  } catch (cause) {
    throw new DataError(
      `Cannot load pretrained text model '${options.model}' from ${resolve(modelDir)}: ` +
        `${cause instanceof Error ? cause.message : String(cause)}. Check that the directory ` +
        `holds config.json, tokenizer.json, tokenizer_config.json and ` +
        `onnx/${options.quantized ? 'model_quantized.onnx' : 'model.onnx'}.`,
      modelDir,
      { cause },
    );
  }

  const extract = async (text: string, source: string): Promise<Float32Array> => {
    try {
      const output = await run(text.slice(0, MAX_CHARACTERS), { pooling: 'mean', normalize: true });
      return Float32Array.from(output.data);
    } catch (cause) {
      throw new DataError(
        `Pretrained text model '${options.model}' failed on caption ${source}: ` +
          `${cause instanceof Error ? cause.message : String(cause)}.`,
        source,
        { cause },
      );
    }
  };
  const probe = await extract('a', 'probe caption "a"');
  return { dimension: probe.length, extract };
}
