/** A subset of the modalities (nonEmptySubsets of variants/shared/subsets.ts) by name: "image+text". */
export const subsetName = (subset: readonly string[]): string => subset.join('+');
