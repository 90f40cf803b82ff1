/**
 * The files of one checkpoint as data: what a caller hands to saveCheckpoint, the schemas of
 * model.json, optimizer.json and manifest.json, and the serialisation of a checkpoint into the
 * exact bytes of each file. Bytes in, bytes out: no file system here.
 */
import { z } from 'zod';
import { RunError } from '../errors/errors.js';
import { trainerStateSchema } from '../train/trainer-state.js';
import {
  encodeNamedTensors,
  weightsManifestSchema,
  type NamedTensor,
  type WeightSpec,
} from './named-tensors.js';
import {
  MANIFEST_FORMAT,
  MODEL_FILE_FORMAT,
  OPTIMIZER_FILE_FORMAT,
  OLDEST_RUN_FORMAT_VERSION,
  RUN_FILES,
  RUN_FORMAT_VERSION,
  isReadableRunFormat,
} from './run-files.js';
import { assertJsonData, parseWithSchema, toJsonText } from './run-json.js';

// ── Checkpoint input ─────────────────────────────────────────────────────────────────────────
/** What the trainer hands to saveCheckpoint. JSON parts must be plain JSON data. */
export interface CheckpointInput {
  /** Model weights in the model's own order, e.g. from `layer.getWeights()` with stable names. */
  readonly weights: readonly NamedTensor[];
  /** Per-module Keras topology from `sequential.toJSON(null, false)`, keyed by module name. */
  readonly topology?: Readonly<Record<string, object>> | null;
  /** Optimizer slots from `await optimizer.getWeights()`; omitted or [] for none. */
  readonly optimizer?: readonly NamedTensor[];
  /** Epoch, step, best validation loss, early-stopping counter, schedule state, RNG seeds. */
  readonly trainerState: unknown;
  /** Fitted modality plugin state; when omitted, the last checkpoint's state.json is kept. */
  readonly pluginState?: unknown;
  /** The resolved config; when omitted, the last checkpoint's config.json is kept. */
  readonly config?: unknown;
  /** Caller metadata stored under `mmae` in model.json (modalities, latent size, variant…). */
  readonly metadata?: unknown;
  /** Backend name for the manifest; defaults to `tf.getBackend()`. */
  readonly backend?: string;
}

// ── model.json ───────────────────────────────────────────────────────────────────────────────
// model.json: a tfjs-style weights file. `weightsManifest` is the standard tfjs manifest, so a
// browser reads the weights with `tf.io.loadWeights(modelJson.weightsManifest, runUrl + '/')`;
// `modelTopology` holds each module's Keras topology (from `sequential.toJSON(null, false)`),
// keyed by module name; `mmae` is the caller's metadata.

const modelFileSchema = z.object({
  format: z.literal(MODEL_FILE_FORMAT),
  generatedBy: z.string(),
  convertedBy: z.null(),
  modelTopology: z.record(z.string(), z.unknown()).nullable(),
  weightsManifest: weightsManifestSchema,
  mmae: z.unknown(),
});

export type ModelFile = z.infer<typeof modelFileSchema>;

export function buildModelFile(
  specs: WeightSpec[],
  topology: Readonly<Record<string, object>> | null,
  metadata: unknown,
  mmaeVersion: string,
): ModelFile {
  return {
    format: MODEL_FILE_FORMAT,
    generatedBy: `mmae ${mmaeVersion}`,
    convertedBy: null,
    modelTopology: topology === null ? null : { ...topology },
    weightsManifest: [{ paths: [RUN_FILES.weights], weights: specs }],
    mmae: metadata,
  };
}

export function parseModelFile(value: unknown, path: string): ModelFile {
  return parseWithSchema(modelFileSchema, value, path, 'The model file');
}

// ── optimizer.json ───────────────────────────────────────────────────────────────────────────
// optimizer.json: everything needed to resume training exactly, next to optimizer.bin. It holds
// the trainer's own state (epoch, step, best validation loss, early-stopping counter, schedule
// state, RNG seeds; the caller's JSON) and the tfjs weights manifest of the optimizer's slots
// (from `optimizer.getWeights()`), which are restored with `optimizer.setWeights()`.

const optimizerFileSchema = z.object({
  format: z.literal(OPTIMIZER_FILE_FORMAT),
  formatVersion: z
    .number()
    .int()
    .refine(isReadableRunFormat, {
      message: `a run format version from ${OLDEST_RUN_FORMAT_VERSION} to ${RUN_FORMAT_VERSION}`,
    }),
  /**
   * The fields a TrainerState has are checked wherever they appear (epoch −3 is refused here, for
   * every reader); the trainer requires all of them when it resumes (parseTrainerState). Other
   * fields are the caller's and kept.
   */
  trainerState: trainerStateSchema.partial().loose(),
  weightsManifest: weightsManifestSchema,
});

export type OptimizerFile = z.infer<typeof optimizerFileSchema>;

export function buildOptimizerFile(specs: WeightSpec[], trainerState: unknown): OptimizerFile {
  return {
    format: OPTIMIZER_FILE_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    // The caller's JSON; the schema checks it when it is read back.
    trainerState: trainerState as OptimizerFile['trainerState'],
    weightsManifest: [{ paths: [RUN_FILES.optimizerWeights], weights: specs }],
  };
}

export function parseOptimizerFile(value: unknown, path: string): OptimizerFile {
  return parseWithSchema(optimizerFileSchema, value, path, 'The optimizer file');
}

/** The complete trainer state a resumed run needs, or a RunError naming the field at fault. */
export function parseTrainerState(value: unknown, path: string): z.infer<typeof trainerStateSchema> {
  return parseWithSchema(trainerStateSchema, value, path, 'The optimizer file', 'trainerState');
}

// ── manifest.json ────────────────────────────────────────────────────────────────────────────
// manifest.json: the commit record of a checkpoint. It is written last, and lists every other
// file of the checkpoint with its SHA-256, so a checkpoint is exactly "what the manifest says".

const fileEntrySchema = z.object({
  sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lowercase hex digits'),
  bytes: z.number().int().nonnegative(),
});

const manifestSchema = z.object({
  format: z.literal(MANIFEST_FORMAT),
  formatVersion: z.number().int(),
  mmaeVersion: z.string(),
  tfjsVersion: z.string(),
  nodeVersion: z.string(),
  backend: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Counts saves in this run: 1 for the first checkpoint. */
  generation: z.number().int().positive(),
  files: z.record(z.string(), fileEntrySchema),
});

export type ManifestFileEntry = z.infer<typeof fileEntrySchema>;
export type RunManifest = z.infer<typeof manifestSchema>;

/** Far above any manifest mmae writes (a few hundred bytes per file it lists). */
export const MAX_MANIFEST_BYTES = 16 * 1024 * 1024;

export function parseManifest(value: unknown, path: string): RunManifest {
  checkFormatVersion(value, path);
  return parseWithSchema(manifestSchema, value, path, 'The run manifest');
}

/** A file whose bytes are not what the manifest lists; `path` names it in the message. */
export function checksumMismatch(
  name: string,
  path: string,
  entry: ManifestFileEntry,
  found: string,
): RunError {
  return new RunError(
    `checksum mismatch in ${name}; the file was modified after the run wrote it ` +
      `(${path}: expected ${entry.bytes} bytes with sha256 ${entry.sha256.slice(0, 12)}…, found ` +
      `${found}). Restore the file from a copy of the run or train again; mmae will not load ` +
      'weights it cannot vouch for.',
    path,
  );
}

/**
 * Checks one file's bytes, held in memory, against the manifest's entry for it, with WebCrypto's
 * SHA-256 (Node 20 and browsers alike): a file the manifest does not list is refused too.
 */
export async function verifyListedBytes(
  manifest: RunManifest,
  name: string,
  bytes: Uint8Array,
  path: string,
  manifestPath: string,
): Promise<void> {
  const entry = Object.hasOwn(manifest.files, name) ? manifest.files[name] : undefined;
  if (entry === undefined) {
    throw new RunError(
      `${manifestPath} does not list ${name}; refusing to read a file whose checksum is unknown.`,
      manifestPath,
    );
  }
  if (bytes.byteLength !== entry.bytes) {
    throw checksumMismatch(name, path, entry, `${bytes.byteLength} bytes`);
  }
  const actual = await sha256Hex(bytes);
  if (actual !== entry.sha256) {
    throw checksumMismatch(name, path, entry, `${bytes.byteLength} bytes with sha256 ${actual.slice(0, 12)}…`);
  }
}

/** A file's SHA-256 in lowercase hex, with WebCrypto (Node 20 and browsers alike). */
export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // The DOM's types (web/tsconfig.json) take only ArrayBuffer-backed views; file and fetch bytes
  // are, and WebCrypto refuses a SharedArrayBuffer's at run time either way.
  const view = bytes as Uint8Array<ArrayBuffer>;
  const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-256', view));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** What a manifest records besides its files: who wrote the checkpoint, when, which save. */
export interface ManifestFields {
  readonly mmaeVersion: string;
  readonly tfjsVersion: string;
  /** Node's version, or what ran instead (a browser writes `browser: <user agent>`). */
  readonly nodeVersion: string;
  readonly backend: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly generation: number;
}

/** The manifest of a checkpoint whose files' entries (size and SHA-256) are known. */
export function buildManifest(
  files: Readonly<Record<string, ManifestFileEntry>>,
  fields: ManifestFields,
): RunManifest {
  return {
    format: MANIFEST_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    mmaeVersion: fields.mmaeVersion,
    tfjsVersion: fields.tfjsVersion,
    nodeVersion: fields.nodeVersion,
    backend: fields.backend,
    createdAt: fields.createdAt,
    updatedAt: fields.updatedAt,
    generation: fields.generation,
    files: { ...files },
  };
}

/** manifest.json's bytes, as saveCheckpoint writes them. */
export function manifestText(manifest: RunManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

/** Checked before the full schema so that a newer layout gets a version message, not a field error. */
function checkFormatVersion(value: unknown, path: string): void {
  const record = typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  if (record.format !== MANIFEST_FORMAT) {
    throw new RunError(
      `${path} is not an mmae run manifest (its "format" is ${JSON.stringify(record.format)}, ` +
        `expected "${MANIFEST_FORMAT}"). Pass the directory that mmae created for the run.`,
      path,
    );
  }
  const version = record.formatVersion;
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
    throw new RunError(`${path} has no valid "formatVersion"; the manifest is damaged.`, path);
  }
  if (!isReadableRunFormat(version)) {
    const writer = typeof record.mmaeVersion === 'string' ? `mmae ${record.mmaeVersion}` : 'another mmae';
    const advice =
      version > RUN_FORMAT_VERSION
        ? 'Upgrade mmae to load it.'
        : 'Load it with the mmae version that wrote it, or train the run again.';
    throw new RunError(
      `The run at ${path} uses run format version ${version} (written by ${writer}); this mmae ` +
        `reads versions ${OLDEST_RUN_FORMAT_VERSION} to ${RUN_FORMAT_VERSION}. ${advice}`,
      path,
    );
  }
}

// ── Serialisation ────────────────────────────────────────────────────────────────────────────
// Turns a CheckpointInput into the exact bytes of each file, before anything touches the disk,
// so a value that cannot be saved (Infinity, a class instance, a duplicate weight name) fails
// with the run directory untouched.

/** File name → bytes, in the order they are written. */
export type CheckpointFileSet = Map<string, Uint8Array>;

export async function serialiseCheckpoint(
  input: CheckpointInput,
  mmaeVersion: string,
): Promise<CheckpointFileSet> {
  assertJsonData(input.trainerState, 'trainerState');
  assertJsonData(input.topology ?? null, 'topology');
  assertJsonData(input.metadata ?? {}, 'metadata');
  const weights = await encodeNamedTensors(input.weights, 'the model weights');
  const optimizer = await encodeNamedTensors(input.optimizer ?? [], 'the optimizer state');
  const model = buildModelFile(weights.specs, input.topology ?? null, input.metadata ?? {}, mmaeVersion);
  const optimizerFile = buildOptimizerFile(optimizer.specs, input.trainerState);
  const text = (value: unknown, what: string) => new TextEncoder().encode(toJsonText(value, what));

  const files: CheckpointFileSet = new Map();
  if (input.config !== undefined) files.set(RUN_FILES.config, text(input.config, 'config'));
  if (input.pluginState !== undefined) {
    files.set(RUN_FILES.pluginState, text(input.pluginState, 'pluginState'));
  }
  files.set(RUN_FILES.optimizerWeights, optimizer.data);
  files.set(RUN_FILES.optimizer, text(optimizerFile, 'optimizer.json'));
  files.set(RUN_FILES.weights, weights.data);
  files.set(RUN_FILES.model, text(model, 'model.json'));
  return files;
}
