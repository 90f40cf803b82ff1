/**
 * JSON in and out of a run directory, strictly: what JSON would silently change is refused at save
 * time; bytes that do not parse, or fail their schema, are a RunError naming the file and field.
 * JSON only: nothing in a run directory is ever imported, required or evaluated. No file system
 * here (readJsonFile is in run-fs.ts), so a run's files can be parsed from bytes anywhere.
 */
import type { z } from 'zod';
import { RunError } from '../errors/errors.js';

// ── Writing JSON ─────────────────────────────────────────────────────────────────────────────
// JSON serialisation that refuses what JSON would silently change. `JSON.stringify` turns
// Infinity and NaN into null, drops functions, and calls `toJSON` on dates, so a trainer state
// with `bestValidationLoss: Infinity` would resume as null. Better to fail at save time and name
// the field than to resume from a different state.

export function toJsonText(value: unknown, what: string): string {
  assertJsonData(value, what);
  return `${JSON.stringify(value, null, 2)}\n`;
}

/** Throws a RunError naming the first field (e.g. `trainerState.best`) that JSON would alter. */
export function assertJsonData(value: unknown, what: string): void {
  assertPlainJson(value, what, new Set());
}

function assertPlainJson(value: unknown, path: string, seen: Set<object>): void {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail(path, `is ${value}, which JSON cannot store; use null or a finite number`);
    return;
  }
  if (typeof value !== 'object') fail(path, `is a ${typeof value}, which JSON cannot store`);
  if (seen.has(value)) fail(path, 'refers back to itself (a cycle)');
  seen.add(value);
  if (Array.isArray(value)) {
    value.forEach((item, index) => {
      if (item === undefined) fail(`${path}[${index}]`, 'is undefined; use null');
      assertPlainJson(item, `${path}[${index}]`, seen);
    });
  } else {
    const proto = Object.getPrototypeOf(value) as unknown;
    if (proto !== Object.prototype && proto !== null) {
      const kind = (value as { constructor?: { name?: string } }).constructor?.name ?? 'object';
      fail(path, `is a ${kind}, not a plain object; convert it to plain JSON data first`);
    }
    for (const [key, item] of Object.entries(value)) {
      if (item !== undefined) assertPlainJson(item, `${path}.${key}`, seen);
    }
  }
  seen.delete(value);
}

function fail(path: string, problem: string): never {
  throw new RunError(`Cannot save: ${path} ${problem}.`);
}

// ── Schema errors ────────────────────────────────────────────────────────────────────────────
// Turns the first zod issue into a RunError that names the file and the field at fault.

/** `within` names where `value` sits in the file, e.g. "trainerState", for the field's name. */
export function parseWithSchema<T>(
  schema: z.ZodType<T>,
  value: unknown,
  path: string,
  what: string,
  within?: string,
): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const parts = [...(within === undefined ? [] : [within]), ...(issue?.path ?? []).map(String)];
  const field = parts.length === 0 ? '(top level)' : parts.join('.');
  throw new RunError(
    `${what} at ${path} is malformed: field ${field}: ${issue?.message ?? 'invalid'}. ` +
      'The file was damaged or not written by mmae.',
    path,
  );
}

// ── Parsing JSON ─────────────────────────────────────────────────────────────────────────────

const UTF8 = new TextDecoder('utf-8', { ignoreBOM: true });

/** `what` names the file's role for the message, e.g. "The run manifest". */
export function parseJsonBytes(bytes: Uint8Array, path: string, what: string): unknown {
  try {
    // TextDecoder rather than Buffer, which browsers lack; a byte-order mark is kept, as JSON.parse
    // refuses it, so a file is valid here exactly where it was valid when read through Buffer.
    return JSON.parse(UTF8.decode(bytes)) as unknown;
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new RunError(
      `${what} at ${path} is not valid JSON (${detail}); the file is damaged or was edited by hand.`,
      path,
      { cause: error },
    );
  }
}

/**
 * One record as its line of metrics.jsonl, newline included. Validated as strict JSON so a NaN
 * loss is refused by name rather than written as null.
 */
export function metricsLine(record: Readonly<Record<string, unknown>>): string {
  return `${JSON.stringify(JSON.parse(toJsonText(record, 'metrics record')))}\n`;
}
