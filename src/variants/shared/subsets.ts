/**
 * All non-empty subsets, smallest first (and in the order of their bit masks within a size): of
 * the indices 0..n-1 (mopoe's subsets of experts), or of the items given (the cross-modal
 * report's subsets of modality names).
 */
export function nonEmptySubsets(n: number): number[][];
export function nonEmptySubsets<T>(items: readonly T[]): T[][];
export function nonEmptySubsets<T>(of: number | readonly T[]): (T | number)[][] {
  const items: readonly (T | number)[] =
    typeof of === 'number' ? Array.from({ length: of }, (_, i) => i) : of;
  const out: (T | number)[][] = [];
  for (let mask = 1; mask < 1 << items.length; mask++) {
    out.push(items.filter((_, i) => mask & (1 << i)));
  }
  return out.sort((a, b) => a.length - b.length);
}

/** A subset of modality names as the reports name it: "image+text". */
export const subsetName = (subset: readonly string[]): string => subset.join('+');
