import { PluginError } from '../errors/errors.js';

/** The shape every contribution shares: an id, a description and an options schema. */
export interface Contribution {
  readonly id: string;
  readonly description: string;
  readonly optionsSchema: { safeParse(value: unknown): unknown };
}

/**
 * Checks at registration that an object meets its contract, so a broken user plugin fails with a
 * message naming what is missing instead of failing deep inside training.
 */
export function validateContribution(
  kind: string,
  value: unknown,
  functions: readonly string[],
): asserts value is Contribution {
  const record = value as Record<string, unknown> | null;
  const name = typeof record?.id === 'string' ? `"${record.id}"` : '(no id)';
  const problems: string[] = [];
  if (!record || typeof record !== 'object') {
    throw new PluginError(`a ${kind} contribution is not an object (got ${typeof value})`);
  }
  if (typeof record.id !== 'string' || !/^[a-z][\w-]*$/i.test(record.id)) {
    problems.push('`id` must be a non-empty string of letters, digits, - or _');
  }
  if (typeof record.description !== 'string') problems.push('`description` must be a string');
  const schema = record.optionsSchema as { safeParse?: unknown } | undefined;
  if (!schema || typeof schema.safeParse !== 'function') {
    problems.push('`optionsSchema` must be a zod schema (with safeParse)');
  }
  for (const fn of functions) {
    if (typeof record[fn] !== 'function') problems.push(`\`${fn}\` must be a function`);
  }
  if (problems.length) {
    throw new PluginError(
      `${kind} ${name} does not meet the ${kind} contract:\n  ${problems.join('\n  ')}\n` +
        'See docs/plugins.md for the contract.',
    );
  }
}
