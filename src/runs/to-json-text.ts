/**
 * JSON serialisation that refuses what JSON would silently change. `JSON.stringify` turns
 * Infinity and NaN into null, drops functions, and calls `toJSON` on dates, so a trainer state
 * with `bestValidationLoss: Infinity` would resume as null. Better to fail at save time and name
 * the field than to resume from a different state.
 */
import { RunError } from '../errors/errors.js';

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
