/**
 * loadRunFiles: a trained run opened from its files' bytes, in memory, as the public LoadedModel:
 * what a browser fetches from a run's URL. Every part is read with the checks openRun applies on
 * disk (the config's schema, state.json's envelope and each plugin's own state check, the weights
 * manifest, byte lengths, the saved-weights budget, every weight's name and shape), but nothing
 * here touches a file system, selects a backend or loads a plugin by path: the caller hands the
 * plugins over as ContainerModules and has chosen its tfjs backend.
 *
 * Not checked: the manifest's checksums (manifest.json), since the bytes come from wherever the
 * caller fetched them; a damaged file still fails on its schema or its byte length.
 */
import type { ContainerModule } from 'inversify';
import { z } from 'zod';
import { formatIssues } from '../config/format-issues.js';
import { parseConfig } from '../config/parse-config.js';
import type { RunConfig } from '../config/schema.js';
import { registryOfModules } from '../container/registry-of-modules.js';
import type { PluginRegistry } from '../container/registry.js';
import { PluginError, RunError, UsageError } from '../errors/errors.js';
import { buildJointModel } from '../model/build-joint-model.js';
import { restoreModalities } from '../model/setup-modalities.js';
import { buildWithinSavedWeights } from '../model/weight-budget.js';
import { restoreWeights } from '../open/restore-weights.js';
import { savedPluginStates } from '../open/saved-plugin-states.js';
import {
  decodeNamedTensors,
  disposeNamedTensors,
  weightsManifestSchema,
  type NamedTensor,
  type WeightsGroup,
} from '../runs/named-tensors.js';
import { LoadedModel } from './loaded-model.js';

/** A run's files as bytes, by the role each plays (a run directory names them the same way). */
export interface RunFileBytes {
  /** config.json: the resolved config the run was trained with. */
  readonly config: Uint8Array;
  /** model.json: the weights manifest (and each module's topology). */
  readonly model: Uint8Array;
  /** state.json: each modality's fitted state (vocabulary, statistics). */
  readonly pluginState?: Uint8Array;
  /** The weight files model.json lists, by the path it gives them: `{ 'weights.bin': … }`. */
  readonly weights: Readonly<Record<string, Uint8Array>>;
}

export interface LoadRunFilesOptions {
  /** The ContainerModules of every plugin the run uses, built-in or not (nothing is loaded by path). */
  readonly modules: readonly ContainerModule[];
  /** How messages name the run, e.g. its URL; default "the run". */
  readonly name?: string;
}

/** What model.json must hold for its weights to be read; the rest is topology and metadata. */
const modelFileSchema = z.object({
  format: z.literal('mmae-weights'),
  weightsManifest: weightsManifestSchema,
});

export async function loadRunFiles(
  files: RunFileBytes,
  options: LoadRunFilesOptions,
): Promise<LoadedModel> {
  checkFiles(files, options);
  const name = options.name ?? 'the run';
  const configFile = `${name}/config.json`;
  const config = parseConfig(jsonOf(files.config, configFile), configFile);
  const registry = registryOfModules(options.modules);
  requireModelPlugins(config, registry, configFile);
  const stateFile = `${name}/state.json`;
  const pluginState = files.pluginState && jsonOf(files.pluginState, stateFile);
  const setups = restoreModalities(config, registry, savedPluginStates(pluginState, stateFile));
  const weights = decodeWeights(files, `${name}/model.json`, name);
  try {
    // A forged config or state cannot make the model larger than the weights it ships with.
    const model = buildWithinSavedWeights(weights, name, () =>
      buildJointModel({ config, setups, registry }),
    );
    try {
      restoreWeights(model, { weights, runDir: name });
    } catch (error) {
      model.dispose();
      throw error;
    }
    return new LoadedModel({ runDir: name, registry, setups, model });
  } finally {
    disposeNamedTensors(weights);
  }
}

/** The caller's side of the contract, checked as the API checks every argument. */
function checkFiles(files: RunFileBytes, options: LoadRunFilesOptions): void {
  const bytes = (value: unknown) => value instanceof Uint8Array;
  const record = files as unknown as Record<string, unknown> | null;
  const missing = ['config', 'model']
    .filter((key) => !bytes(record?.[key]))
    .concat(record?.pluginState !== undefined && !bytes(record.pluginState) ? ['pluginState'] : []);
  const weights = record?.weights as Record<string, unknown> | undefined;
  if (typeof weights !== 'object' || weights === null || !Object.values(weights).every(bytes)) {
    missing.push('weights');
  }
  if (missing.length > 0) {
    throw new UsageError(
      `loadRunFiles(files): ${missing.join(', ')} must be Uint8Array bytes (weights: a record ` +
        "of them by path, e.g. { 'weights.bin': bytes }); read the run's files as bytes.",
    );
  }
  if (!Array.isArray(options?.modules)) {
    throw new UsageError(
      'loadRunFiles(files, options): options.modules must list the ContainerModules of the ' +
        "run's plugins.",
    );
  }
}

/**
 * The plugins the model is built from (its modalities and fusion) must be among the modules
 * given. Unlike openRun's check, the dataset's is not needed: no data is read here.
 */
function requireModelPlugins(
  config: RunConfig,
  registry: PluginRegistry,
  configFile: string,
): void {
  const missing = [
    ...config.modalities
      .filter((m) => !registry.modalities.has(m.id))
      .map((m) => `the modality plugin "${m.id}"`),
    ...(config.fusion && !registry.fusions.has(config.fusion.id)
      ? [`the fusion plugin "${config.fusion.id}"`]
      : []),
  ];
  if (missing.length === 0) return;
  throw new PluginError(
    `${configFile} uses ${missing.join(' and ')}, which none of options.modules registers; ` +
      'pass the ContainerModule that contributes it in loadRunFiles(files, { modules }).',
  );
}

function jsonOf(bytes: Uint8Array, file: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { ignoreBOM: true }).decode(bytes)) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RunError(
      `${file} is not valid JSON (${detail}); the file is damaged or was edited by hand.`,
      file,
      { cause: error },
    );
  }
}

function decodeWeights(files: RunFileBytes, modelFile: string, name: string): NamedTensor[] {
  const parsed = modelFileSchema.safeParse(jsonOf(files.model, modelFile));
  if (!parsed.success) {
    throw new RunError(
      `${modelFile} is not an mmae weights file:\n${formatIssues(parsed.error.issues)}\n` +
        'restore the run from its source or train it again.',
      modelFile,
    );
  }
  const decoded: NamedTensor[] = [];
  try {
    for (const group of parsed.data.weightsManifest) {
      const data = concat(group.paths.map((path) => weightFile(files, group, path, modelFile)));
      const file = group.paths.map((path) => `${name}/${path}`).join(', ');
      decoded.push(...decodeNamedTensors(data, group.weights, file, modelFile));
    }
  } catch (error) {
    disposeNamedTensors(decoded);
    throw error;
  }
  return decoded;
}

function weightFile(
  files: RunFileBytes,
  group: WeightsGroup,
  path: string,
  modelFile: string,
): Uint8Array {
  const bytes = Object.hasOwn(files.weights, path) ? files.weights[path] : undefined;
  if (bytes === undefined) {
    const given = Object.keys(files.weights).join(', ') || 'none';
    throw new RunError(
      `${modelFile} lists the weights file '${path}' (${group.weights.length} weights), which ` +
        `files.weights does not hold (it holds: ${given}); pass its bytes under that path.`,
      modelFile,
    );
  }
  return bytes;
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
