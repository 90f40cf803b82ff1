/**
 * Compares a checkpoint's weights with those of the model built from the run's config, so a
 * checkpoint that does not fit fails by name and shape rather than deep inside tfjs.
 */
import { RunError } from '../errors/errors.js';
import type { NamedTensor } from './named-tensor.js';

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
