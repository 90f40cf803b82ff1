/** All non-empty subsets of {0..n-1}, as index lists, smallest first. */
export function nonEmptySubsets(n: number): number[][] {
  const out: number[][] = [];
  for (let mask = 1; mask < 1 << n; mask++) {
    const subset: number[] = [];
    for (let i = 0; i < n; i++) if (mask & (1 << i)) subset.push(i);
    out.push(subset);
  }
  return out.sort((a, b) => a.length - b.length);
}
