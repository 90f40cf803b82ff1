/** Every non-empty subset of the modalities, smallest first, named like "image+text". */
export function nonEmptySubsets(names: readonly string[]): string[][] {
  const out: string[][] = [];
  for (let mask = 1; mask < 1 << names.length; mask++) {
    out.push(names.filter((_, i) => mask & (1 << i)));
  }
  return out.sort((a, b) => a.length - b.length);
}

export const subsetName = (subset: readonly string[]): string => subset.join('+');
