/**
 * Named tensors as bytes and back: the tfjs weights manifest that describes them, the encoding of
 * a set of tensors into one binary blob, its checked decoding, and the check that saved weights
 * are exactly the ones a model expects.
 */
import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { RunError } from '../errors/errors.js';

// ── Named tensors ────────────────────────────────────────────────────────────────────────────
/** A tensor with the name it is saved under, e.g. `encoder.image/dense_1/kernel` or an Adam slot. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

export function disposeNamedTensors(tensors: readonly NamedTensor[]): void {
  for (const { tensor } of tensors) tensor.dispose();
}

// ── Weights manifest ─────────────────────────────────────────────────────────────────────────
// The standard tfjs weights manifest (`[{ paths, weights: [{ name, shape, dtype }] }]`), used by
// both model.json and optimizer.json, so a browser can fetch the weights with
// `tf.io.loadWeights(modelJson.weightsManifest, runUrl + '/')`.

/** Only fixed-width dtypes: their byte length follows from the shape, so a short file is caught. */
export const BYTES_PER_ELEMENT = { float32: 4, int32: 4, bool: 1 } as const;
export type SavedDtype = keyof typeof BYTES_PER_ELEMENT;

/**
 * A list refused for its length before its entries are parsed: zod reports one issue per bad
 * entry, and a forged list of hundreds of thousands overflows the stack collecting them.
 */
function boundedArray<T extends z.ZodType>(element: T, max: number) {
  return z.array(z.unknown()).max(max).pipe(z.array(element));
}

/** Far above any model mmae builds (the largest shipped one has ~60 weights, rank ≤ 4). */
const MAX_RANK = 8;
const MAX_WEIGHTS = 100_000;
const MAX_GROUPS = 1_000;

export const weightSpecSchema = z.object({
  name: z.string().min(1).max(1_000),
  shape: boundedArray(z.number().int().nonnegative(), MAX_RANK),
  dtype: z.enum(['float32', 'int32', 'bool']),
});

export const weightsGroupSchema = z.object({
  paths: boundedArray(z.string(), MAX_GROUPS).pipe(z.array(z.string()).min(1)),
  weights: boundedArray(weightSpecSchema, MAX_WEIGHTS),
});

export const weightsManifestSchema = boundedArray(weightsGroupSchema, MAX_GROUPS);

export type WeightSpec = z.infer<typeof weightSpecSchema>;
export type WeightsGroup = z.infer<typeof weightsGroupSchema>;

export function specByteLength(spec: WeightSpec): number {
  return spec.shape.reduce((size, dim) => size * dim, 1) * BYTES_PER_ELEMENT[spec.dtype];
}

// ── Encoding ─────────────────────────────────────────────────────────────────────────────────
// Named tensors → one binary blob plus its weight specs, via `tf.io.encodeWeights`. The caller's
// order is kept (it is the order the model lists its weights), so the same model always writes
// the same bytes.

export interface EncodedTensors {
  readonly data: Uint8Array;
  readonly specs: WeightSpec[];
}

/** `what` names the set for messages, e.g. "weights" or "optimizer state". */
export async function encodeNamedTensors(
  tensors: readonly NamedTensor[],
  what: string,
): Promise<EncodedTensors> {
  const seen = new Set<string>();
  for (const { name, tensor } of tensors) {
    if (name === '') throw new RunError(`Cannot save ${what}: a tensor has an empty name.`);
    if (seen.has(name)) {
      throw new RunError(`Cannot save ${what}: the name '${name}' is used twice; names must be unique.`);
    }
    seen.add(name);
    if (tensor.isDisposed) {
      throw new RunError(`Cannot save ${what}: the tensor '${name}' was disposed before saving.`);
    }
    if (!(tensor.dtype in BYTES_PER_ELEMENT)) {
      throw new RunError(
        `Cannot save ${what}: '${name}' has dtype ${tensor.dtype}; only float32, int32 and bool are saved.`,
      );
    }
  }
  const { data, specs } = await tf.io.encodeWeights(
    tensors.map(({ name, tensor }) => ({ name, tensor })),
  );
  return {
    data: new Uint8Array(data),
    specs: specs.map(({ name, shape, dtype }) => ({ name, shape, dtype: dtype as WeightSpec['dtype'] })),
  };
}

// ── Decoding ─────────────────────────────────────────────────────────────────────────────────
// The reverse of encodeNamedTensors: bytes + specs → tensors in spec order, via
// `tf.io.decodeWeights`. The byte length is checked first, so a truncated or padded file is a
// clear RunError rather than a tfjs RangeError.

/** `file` names the binary file and `specFile` the JSON that describes it, for messages. */
export function decodeNamedTensors(
  data: Uint8Array,
  specs: readonly WeightSpec[],
  file: string,
  specFile: string,
): NamedTensor[] {
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) {
      throw new RunError(`${specFile} lists the weight '${spec.name}' twice; the file is damaged.`, specFile);
    }
    names.add(spec.name);
  }
  const expected = specs.reduce((total, spec) => total + specByteLength(spec), 0);
  if (data.byteLength !== expected) {
    throw new RunError(
      `${file} holds ${data.byteLength} bytes but ${specFile} describes ${expected}; the two files ` +
        'do not belong together. Restore both from the same checkpoint.',
      file,
    );
  }
  // decodeWeights wants an ArrayBuffer holding exactly these bytes, not a view into a larger pool.
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, specs.map((spec) => ({ ...spec })));
  return specs.map((spec) => ({ name: spec.name, tensor: decoded[spec.name] as tf.Tensor }));
}

// ── Expected weights ─────────────────────────────────────────────────────────────────────────
// Compares a checkpoint's weights with those of the model built from the run's config, so a
// checkpoint that does not fit fails by name and shape rather than deep inside tfjs.

export interface ExpectedWeight {
  readonly name: string;
  readonly shape: readonly number[];
}

const SHOWN = 5;

export function checkExpectedWeights(
  saved: readonly NamedTensor[],
  expected: readonly ExpectedWeight[],
  runDir: string,
): void {
  const savedByName = new Map(saved.map((weight) => [weight.name, weight.tensor.shape]));
  const expectedNames = new Set(expected.map((weight) => weight.name));
  const problems: string[] = [];
  for (const { name, shape } of expected) {
    const savedShape = savedByName.get(name);
    if (savedShape === undefined) {
      problems.push(`weight '${name}' (shape ${fmt(shape)}) is missing from the checkpoint`);
    } else if (fmt(savedShape) !== fmt(shape)) {
      problems.push(
        `weight '${name}' has shape ${fmt(savedShape)} in the checkpoint but the model expects ${fmt(shape)}`,
      );
    }
  }
  for (const { name, tensor } of saved) {
    if (!expectedNames.has(name)) {
      problems.push(`weight '${name}' (shape ${fmt(tensor.shape)}) is in the checkpoint but not in the model`);
    }
  }
  if (problems.length === 0) return;
  const more = problems.length > SHOWN ? `; and ${problems.length - SHOWN} more` : '';
  throw new RunError(
    `The checkpoint in ${runDir} does not match the model built from its config: ` +
      `${problems.slice(0, SHOWN).join('; ')}${more}. Build the model from the run's own ` +
      'config.json, or train a new run with the changed config.',
    runDir,
  );
}

function fmt(shape: readonly number[]): string {
  return `[${shape.join(', ')}]`;
}
