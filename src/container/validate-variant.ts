import { COMMON_MODEL_KEYS } from '../config/schema.js';
import { PluginError } from '../errors/errors.js';
import type { Contribution } from './validate-contribution.js';

/**
 * What a variant declares beyond the shape every contribution shares: its options are keys of the
 * config's flat `model` block, so they must be a zod object whose keys are not the common ones.
 */
export function validateVariant(variant: Contribution): void {
  const record = variant as unknown as Record<string, unknown>;
  const problems: string[] = [];
  if (typeof record.usesFusion !== 'boolean') problems.push('`usesFusion` must be true or false');
  const shape = (variant.optionsSchema as { shape?: unknown }).shape;
  if (!shape || typeof shape !== 'object') {
    problems.push(
      '`optionsSchema` must be a zod object (z.object({...})): its keys sit in `model`',
    );
  } else {
    const clashes = Object.keys(shape).filter((key) => COMMON_MODEL_KEYS.includes(key));
    if (clashes.length) {
      problems.push(
        `\`optionsSchema\` redeclares the common model keys ${clashes.join(', ')}; rename them`,
      );
    }
  }
  const phase = record.trainingPhase as { run?: unknown } | undefined;
  if (phase !== undefined && typeof phase?.run !== 'function') {
    problems.push('`trainingPhase.run` must be a function');
  }
  const report = record.report as { key?: unknown; measure?: unknown } | undefined;
  if (
    report !== undefined &&
    (typeof report?.key !== 'string' || typeof report.measure !== 'function')
  ) {
    problems.push('`report` must have a string `key` and a `measure` function');
  }
  if (problems.length) {
    throw new PluginError(
      `variant "${variant.id}" does not meet the variant contract:\n  ${problems.join('\n  ')}\n` +
        'See docs/models.md for the contract.',
    );
  }
}
