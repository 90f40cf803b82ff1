/**
 * Checks of what a library caller hands to the API. TypeScript's types vanish at run time, so a
 * JavaScript caller (or `as any`) can pass null, a number or a half-built object; each is a
 * UsageError naming the argument and what it should be, never a TypeError from deep inside.
 */
import { z } from 'zod';
import { BACKEND_REQUESTS } from '../config/backend-request.js';
import { LIMITS } from '../config/limits.js';
import { UsageError } from '../errors/errors.js';
import type { RawValue } from '../data/contract.js';
import { isRawValue, type RawInput } from '../data/raw-input.js';
import type { RawInputRule } from '../modality/contract.js';

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
  "a file path or text (string), bytes (Uint8Array), a raw value { kind: 'file' | 'bytes' | " +
  "'text' | 'decoded', … } or decoded data";

/**
 * One modality's input, as RawInput describes it, with every field of the right type. Decoded
 * data (a `decoded` value's `value`, or any other object) is checked by the modality's plugin,
 * which alone knows its shape.
 */
export function checkRawInput(value: unknown, argument: string, plugin: PluginInputRule): RawInput {
  if (typeof value === 'string' || value instanceof Uint8Array) return value;
  if (!isObject(value)) {
    throw new UsageError(`${argument} must be ${RAW_FORMS}; it is ${describeValue(value)}`);
  }
  const problem = isRawValue(value)
    ? rawValueProblem(value, plugin)
    : decodedProblem(value, plugin);
  if (problem !== undefined) {
    throw new UsageError(`${argument} must be ${RAW_FORMS}; ${problem}`);
  }
  return value;
}

/** What checkRawInput reads of the modality's plugin. */
export interface PluginInputRule {
  readonly id: string;
  readonly rawInput?: Pick<RawInputRule, 'decoded'>;
}

function rawValueProblem(v: RawValue, plugin: PluginInputRule): string | undefined {
  const fields = v as unknown as Record<string, unknown>;
  switch (v.kind) {
    case 'file':
      return typeof fields.path === 'string' ? undefined : "a 'file' value needs a string path";
    case 'bytes':
      return fields.data instanceof Uint8Array
        ? undefined
        : "a 'bytes' value needs data: Uint8Array";
    case 'text':
      return typeof fields.text === 'string' || fields.text instanceof Uint8Array
        ? undefined
        : "a 'text' value needs text: a string or Uint8Array";
    case 'decoded':
      return decodedProblem(fields.value, plugin);
  }
}

function decodedProblem(value: unknown, plugin: PluginInputRule): string | undefined {
  const form = plugin.rawInput?.decoded;
  if (form === undefined) {
    return (
      `it is decoded data (${describeValue(value)}), which the ${plugin.id} modality does not ` +
      'take: give a file path, bytes or text'
    );
  }
  const problem = form.problem(value);
  return problem === undefined
    ? undefined
    : `as decoded data for the ${plugin.id} modality, ${form.shape}, ${problem}`;
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
