/**
 * Checks of what a library caller hands to the API. TypeScript's types vanish at run time, so a
 * JavaScript caller (or `as any`) can pass null, a number or a half-built object; each is a
 * UsageError naming the argument and what it should be, never a TypeError from deep inside.
 */
import { z } from 'zod';
import { BACKEND_REQUESTS } from '../config/backend-request.js';
import { LIMITS } from '../config/limits.js';
import { UsageError } from '../errors/errors.js';
import type { RawInput } from '../data/raw-input.js';

export const fn = z.custom<(...args: never[]) => unknown>(
  (v) => typeof v === 'function',
  'expected a function',
);

/** What loadRun and evalJob take to open a run (OpenRunOptions). */
export const openRunOptionsSchema = z.object({
  backend: z.enum(BACKEND_REQUESTS).optional(),
  plugins: z.array(z.string().min(1)).max(LIMITS.listEntries).optional(),
  baseDir: z.string().min(1).optional(),
  modules: z.array(z.object({}).passthrough()).optional(),
});

/** `value` as `schema` says, else a UsageError naming `argument` and the first bad field. */
export function checkArgument<T>(schema: z.ZodType, value: T, argument: string): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return value;
  const issue = parsed.error.issues[0];
  const keys = issue?.path ?? [];
  const path = keys.length ? `.${keys.map(String).join('.')}` : '';
  // The value at fault, as far down the path as it exists.
  let bad: unknown = value;
  for (const key of keys) bad = isObject(bad) ? bad[key as string] : undefined;
  throw new UsageError(
    `${argument}${path}: ${issue?.message ?? 'invalid'} (got ${describeValue(bad)}); ` +
      'pass the documented type.',
  );
}

/** The largest finite float32: a latent value beyond it would become Infinity in the model. */
export const FLOAT32_MAX = 3.4028234663852886e38;

/** A short, safe description of a value for a message. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (Array.isArray(value)) return `an array of ${value.length}`;
  if (value instanceof Uint8Array) return `${value.length} bytes`;
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value).slice(0, 40)}`;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A sample: an object of modality name → RawInput. */
export function checkSampleObject(
  input: unknown,
  argument: string,
): Record<string, unknown> & object {
  if (!isObject(input) || Array.isArray(input) || input instanceof Uint8Array) {
    throw new UsageError(
      `${argument} must be an object of modality name → input, e.g. { image: 'digit.png' }; ` +
        `got ${describeValue(input)}`,
    );
  }
  return input;
}

/** A modality name argument. */
export function checkName(value: unknown, argument: string): string {
  if (typeof value !== 'string' || value === '') {
    throw new UsageError(
      `${argument} must be a modality name (a string such as 'image'); got ${describeValue(value)}`,
    );
  }
  return value;
}

const RAW_FORMS =
  "a file path or text (string), bytes (Uint8Array), or a raw value { kind: 'file' | 'bytes' | " +
  "'text' | 'image' | 'audio', … }";

/** One modality's input, as RawInput describes it, with every field of the right type. */
export function checkRawInput(value: unknown, argument: string): RawInput {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  const problem = isObject(value) ? rawValueProblem(value) : `it is ${describeValue(value)}`;
  if (problem !== undefined) {
    throw new UsageError(`${argument} must be ${RAW_FORMS}; ${problem}`);
  }
  return value as RawInput;
}

function rawValueProblem(v: Record<string, unknown>): string | undefined {
  switch (v.kind) {
    case 'file':
      return typeof v.path === 'string' ? undefined : "a 'file' value needs a string path";
    case 'bytes':
      return v.data instanceof Uint8Array ? undefined : "a 'bytes' value needs data: Uint8Array";
    case 'text':
      return typeof v.text === 'string' || v.text instanceof Uint8Array
        ? undefined
        : "a 'text' value needs text: a string or Uint8Array";
    case 'image':
      return imageProblem(v);
    case 'audio':
      return v.samples instanceof Float32Array &&
        typeof v.sampleRate === 'number' &&
        Number.isFinite(v.sampleRate) &&
        v.sampleRate > 0
        ? undefined
        : "an 'audio' value needs samples: Float32Array and a positive sampleRate";
    default:
      return `its kind is ${describeValue(v.kind)}`;
  }
}

function imageProblem(v: Record<string, unknown>): string | undefined {
  const { width, height, channels, data } = v;
  const positive = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) > 0;
  if (
    !positive(width) ||
    !positive(height) ||
    !(channels === 1 || channels === 3 || channels === 4)
  ) {
    return "an 'image' value needs whole width and height and channels 1, 3 or 4";
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * channels) {
    return `an 'image' value needs data: Uint8Array of width × height × channels = ${width * height * channels} bytes`;
  }
  return undefined;
}

/**
 * A latent: `size` numbers, each finite and within float32's range (a larger one becomes
 * Infinity in the model and renders NaN without a word).
 */
export function checkLatent(latent: unknown, size: number, argument: string): Float32Array {
  const length = isObject(latent) ? (latent as { length?: unknown }).length : undefined;
  if (typeof latent === 'string' || typeof length !== 'number') {
    throw new UsageError(
      `${argument} must be ${size} numbers (an array or Float32Array, e.g. from encode); ` +
        `got ${describeValue(latent)}`,
    );
  }
  if (length !== size) {
    throw new UsageError(`${argument}: a latent must have ${size} values, got ${length}`);
  }
  const values = latent as ArrayLike<unknown>;
  for (let i = 0; i < size; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isFinite(v) || Math.abs(v) > FLOAT32_MAX) {
      throw new UsageError(
        `${argument}: latent value ${i} is ${typeof v === 'number' ? v : describeValue(v)}; ` +
          `a latent must hold finite numbers within float32's range (±${FLOAT32_MAX}), e.g. from encode`,
      );
    }
  }
  return Float32Array.from(values as ArrayLike<number>);
}
