/** Turns the first zod issue into a RunError that names the file and the field at fault. */
import type { z } from 'zod';
import { RunError } from '../errors/errors.js';

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
