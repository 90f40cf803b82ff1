/**
 * loadRunFiles: a trained run opened from its files' bytes, in memory, as the public LoadedModel:
 * what a browser fetches from a run's URL. It takes the path openRun takes on disk, through the
 * same modules: the manifest's checksums (WebCrypto's SHA-256), the run's config read as its
 * format says (runs/saved-config.ts), model.json and the weights decoded by runs/, then the model
 * pipeline's last stages (open/model-pipeline.ts: modalities restored from state.json, a model no
 * larger than its saved weights with every weight checked). Nothing here touches a file system,
 * selects a backend or loads a plugin by path: the caller hands the plugins over as
 * ContainerModules and has chosen its tfjs backend.
 */
import type { ContainerModule } from 'inversify';
import type { RunConfig } from '../config/schema.js';
import { registryOfModules } from '../container/registry-of-modules.js';
import type { PluginRegistry } from '../container/registry.js';
import { PluginError, RunError, UsageError } from '../errors/errors.js';
import { buildModel, setUpModalities } from '../open/model-pipeline.js';
import {
  MAX_MANIFEST_BYTES,
  parseManifest,
  parseModelFile,
  verifyListedBytes,
  type RunManifest,
} from '../runs/checkpoint-files.js';
import {
  decodeNamedTensors,
  disposeNamedTensors,
  type NamedTensor,
  type WeightsGroup,
} from '../runs/named-tensors.js';
import { RUN_FILES } from '../runs/run-files.js';
import { parseJsonBytes } from '../runs/run-json.js';
import { parseSavedConfig } from '../runs/saved-config.js';
import { LoadedModel } from './loaded-model.js';

/** A run's files as bytes, by the role each plays (a run directory names them the same way). */
export interface RunFileBytes {
  /** manifest.json: every file's size and SHA-256, checked before any file is read. */
  readonly manifest: Uint8Array;
  /** config.json: the resolved config the run was trained with. */
  readonly config: Uint8Array;
  /** model.json: the weights manifest (and each module's topology). */
  readonly model: Uint8Array;
  /** state.json: each modality's fitted state (vocabulary, statistics); given when the run has one. */
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

export async function loadRunFiles(
  files: RunFileBytes,
  options: LoadRunFilesOptions,
): Promise<LoadedModel> {
  checkFiles(files, options);
  const name = options.name ?? 'the run';
  const at = (file: string) => `${name}/${file}`;
  const manifestFile = at(RUN_FILES.manifest);
  // The same bound openRun reads the file within; every other file is held to the size it lists.
  if (files.manifest.byteLength > MAX_MANIFEST_BYTES) {
    throw new RunError(
      `${manifestFile} is ${files.manifest.byteLength} bytes, more than a run manifest can be ` +
        `(${MAX_MANIFEST_BYTES}); pass the run's own manifest.json.`,
      manifestFile,
    );
  }
  const manifest = parseManifest(
    parseJsonBytes(files.manifest, manifestFile, 'The run manifest'),
    manifestFile,
  );
  const verified = (file: string, bytes: Uint8Array) =>
    verifyListedBytes(manifest, file, bytes, at(file), manifestFile);
  await verified(RUN_FILES.config, files.config);
  await verified(RUN_FILES.model, files.model);
  await verifiedState(files, manifest, manifestFile, verified);

  const configFile = at(RUN_FILES.config);
  const config = parseSavedConfig(
    parseJsonBytes(files.config, configFile, 'The run config'),
    manifest.formatVersion,
    configFile,
  );
  const registry = registryOfModules(options.modules);
  requireModelPlugins(config, registry, configFile);
  const pluginState =
    files.pluginState &&
    parseJsonBytes(files.pluginState, at(RUN_FILES.pluginState), 'The plugin state');
  const setups = await setUpModalities(config, registry, {
    restoreFrom: { runDir: name, pluginState },
  });
  const weights = await decodeWeights(files, at(RUN_FILES.model), at, verified);
  try {
    // A forged config or state cannot make the model larger than the weights it ships with.
    const model = buildModel(config, setups, registry, {
      kind: 'saved',
      checkpoint: { runDir: name, pluginState, weights },
    });
    return new LoadedModel({ runDir: name, registry, setups, model });
  } finally {
    disposeNamedTensors(weights);
  }
}

/** The caller's side of the contract, checked as the API checks every argument. */
function checkFiles(files: RunFileBytes, options: LoadRunFilesOptions): void {
  const bytes = (value: unknown) => value instanceof Uint8Array;
  const record = files as unknown as Record<string, unknown> | null;
  const missing = ['manifest', 'config', 'model']
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

/** state.json is given exactly when the manifest lists it: a run with one needs it to encode. */
async function verifiedState(
  files: RunFileBytes,
  manifest: RunManifest,
  manifestFile: string,
  verified: (file: string, bytes: Uint8Array) => Promise<void>,
): Promise<void> {
  if (files.pluginState !== undefined) return verified(RUN_FILES.pluginState, files.pluginState);
  if (Object.hasOwn(manifest.files, RUN_FILES.pluginState)) {
    throw new RunError(
      `${manifestFile} lists ${RUN_FILES.pluginState} (each modality's fitted state), which ` +
        'files.pluginState does not hold; pass its bytes too.',
      manifestFile,
    );
  }
}

/**
 * The plugins the model is built from (its modalities, fusion and variant) must be among the
 * modules given. Unlike openRun's check, the dataset's is not needed: no data is read here.
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
    ...(registry.variants.has(config.model.variant)
      ? []
      : [`the variant "${config.model.variant}"`]),
  ];
  if (missing.length === 0) return;
  throw new PluginError(
    `${configFile} uses ${missing.join(' and ')}, which none of options.modules registers; ` +
      'pass the ContainerModule that contributes it in loadRunFiles(files, { modules }).',
  );
}

/** Every weights group of model.json, each file verified against the manifest, then decoded. */
async function decodeWeights(
  files: RunFileBytes,
  modelFile: string,
  at: (file: string) => string,
  verified: (file: string, bytes: Uint8Array) => Promise<void>,
): Promise<NamedTensor[]> {
  const { weightsManifest } = parseModelFile(
    parseJsonBytes(files.model, modelFile, 'The model file'),
    modelFile,
  );
  const parts: Uint8Array[][] = [];
  for (const group of weightsManifest) {
    const bytes = group.paths.map((path) => weightFile(files, group, path, modelFile));
    for (const [i, path] of group.paths.entries()) await verified(path, bytes[i]!);
    parts.push(bytes);
  }
  const decoded: NamedTensor[] = [];
  try {
    for (const [g, group] of weightsManifest.entries()) {
      const file = group.paths.map(at).join(', ');
      decoded.push(...decodeNamedTensors(concat(parts[g]!), group.weights, file, modelFile));
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
