/**
 * Seeded train/validation/test splitting. Splits are index lists over a source of samples, so
 * a split of a 60k dataset costs three Int32Arrays, never a copy of the samples. Group-aware
 * splitting keeps every group (e.g. a speaker) inside one split, so a model is tested on voices
 * it never heard.
 */
import type { RawSample, RawSplit } from './contract.js';
import { ConfigError } from '../errors/errors.js';
import { SeededRandom } from '../random/seeded-random.js';

export interface IndexSplits {
  readonly train: Int32Array;
  readonly validation: Int32Array;
  readonly test: Int32Array;
}

/**
 * How much goes to validation and test: a number in [0, 1) is a share, a whole number ≥ 1 is a
 * count. The rest is train.
 */
export interface SplitSizes {
  readonly validation: number;
  readonly test: number;
}

function sortedCopy(indices: ArrayLike<number>): Int32Array {
  return Int32Array.from(indices).sort();
}

/** Turns a share or a count into a count out of `total`; `what` names the field in errors. */
export function resolveCount(sizeOrShare: number, total: number, what: string): number {
  if (!Number.isFinite(sizeOrShare) || sizeOrShare < 0) {
    throw new ConfigError(
      `${what} must be a share in [0, 1) or a whole count, got ${sizeOrShare}.`,
      what,
    );
  }
  if (sizeOrShare < 1) return Math.round(sizeOrShare * total);
  if (!Number.isInteger(sizeOrShare)) {
    throw new ConfigError(
      `${what} is ${sizeOrShare}: a value ≥ 1 is a count and must be a whole number; ` +
        'use a value below 1 for a share.',
      what,
    );
  }
  return sizeOrShare;
}

/**
 * Splits 0..size-1 by a seeded permutation. Each returned list is sorted ascending, so reading
 * a split walks its source in order.
 */
export function splitIndices(size: number, sizes: SplitSizes, seed: number): IndexSplits {
  const validationCount = resolveCount(sizes.validation, size, 'validation');
  const testCount = resolveCount(sizes.test, size, 'test');
  if (validationCount + testCount > size) {
    throw new ConfigError(
      `validation (${validationCount}) + test (${testCount}) samples exceed the ${size} ` +
        'available; lower the validation or test size.',
      'validation',
    );
  }
  const order = new SeededRandom(seed).permutation(size);
  return {
    validation: sortedCopy(order.subarray(0, validationCount)),
    test: sortedCopy(order.subarray(validationCount, validationCount + testCount)),
    train: sortedCopy(order.subarray(validationCount + testCount)),
  };
}

/** Which groups go where: explicit group names, or a share/count of groups chosen by the seed. */
export interface GroupAssignment {
  readonly validation: readonly string[] | number;
  readonly test: readonly string[] | number;
}

export interface GroupSplits extends IndexSplits {
  /** The groups of each split, sorted. */
  readonly groups: {
    readonly train: readonly string[];
    readonly validation: readonly string[];
    readonly test: readonly string[];
  };
}

function checkKnownGroups(names: readonly string[], known: Set<string>, what: string): void {
  const unknown = names.filter((name) => !known.has(name));
  if (unknown.length > 0) {
    throw new ConfigError(
      `${what} names unknown group(s) ${unknown.map((u) => `'${u}'`).join(', ')}; ` +
        `known groups: ${[...known].sort().join(', ')}.`,
      what,
    );
  }
}

/**
 * Splits samples so that each group lands in exactly one split. `groups[i]` is the group of
 * sample i. Groups named explicitly are taken as given; numeric sizes pick groups at random
 * (seeded) among those not named.
 */
export function splitByGroup(
  groups: readonly string[],
  assignment: GroupAssignment,
  seed: number,
): GroupSplits {
  const known = new Set(groups);
  const explicitTest = typeof assignment.test === 'number' ? [] : [...assignment.test];
  const explicitValidation =
    typeof assignment.validation === 'number' ? [] : [...assignment.validation];
  checkKnownGroups(explicitTest, known, 'test groups');
  checkKnownGroups(explicitValidation, known, 'validation groups');
  const overlap = explicitTest.filter((g) => explicitValidation.includes(g));
  if (overlap.length > 0) {
    throw new ConfigError(
      `group(s) ${overlap.join(', ')} are named for both test and validation; a group may be ` +
        'in one split only.',
      'validation groups',
    );
  }
  const free = [...known]
    .filter((g) => !explicitTest.includes(g) && !explicitValidation.includes(g))
    .sort();
  new SeededRandom(seed).shuffle(free);
  const take = (size: number, what: string): string[] => {
    const count = resolveCount(size, known.size, what);
    if (count > free.length) {
      throw new ConfigError(
        `${what} asks for ${count} group(s) but only ${free.length} remain unassigned; ` +
          'lower it or name the groups explicitly.',
        what,
      );
    }
    return free.splice(0, count);
  };
  const testGroups =
    typeof assignment.test === 'number' ? take(assignment.test, 'test groups') : explicitTest;
  const validationGroups =
    typeof assignment.validation === 'number'
      ? take(assignment.validation, 'validation groups')
      : explicitValidation;
  const where = new Map<string, 'train' | 'validation' | 'test'>();
  for (const g of free) where.set(g, 'train');
  for (const g of validationGroups) where.set(g, 'validation');
  for (const g of testGroups) where.set(g, 'test');
  const lists = { train: [] as number[], validation: [] as number[], test: [] as number[] };
  groups.forEach((g, i) => lists[where.get(g) ?? 'train'].push(i));
  return {
    train: Int32Array.from(lists.train),
    validation: Int32Array.from(lists.validation),
    test: Int32Array.from(lists.test),
    groups: {
      train: [...free].sort(),
      validation: [...validationGroups].sort(),
      test: [...testGroups].sort(),
    },
  };
}

/** A view of `split` restricted to `indices` (no copy of samples). */
export function subsetSplit(split: RawSplit, indices: ArrayLike<number>): RawSplit {
  const own = Int32Array.from(indices);
  return {
    size: own.length,
    sample(index: number): RawSample {
      if (index < 0 || index >= own.length) {
        throw new RangeError(`sample index ${index} is outside a split of ${own.length}`);
      }
      return split.sample(own[index] as number);
    },
  };
}

/** A split over samples already in memory. */
export function arraySplit(samples: readonly RawSample[]): RawSplit {
  return {
    size: samples.length,
    sample(index: number): RawSample {
      const sample = samples[index];
      if (sample === undefined) {
        throw new RangeError(`sample index ${index} is outside a split of ${samples.length}`);
      }
      return sample;
    },
  };
}

/** A split whose samples are built on demand from an index (cheap views, no storage). */
export function lazySplit(size: number, build: (index: number) => RawSample): RawSplit {
  return {
    size,
    sample(index: number): RawSample {
      if (!Number.isInteger(index) || index < 0 || index >= size) {
        throw new RangeError(`sample index ${index} is outside a split of ${size}`);
      }
      return build(index);
    },
  };
}
