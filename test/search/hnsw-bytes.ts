/** Where things sit in an hnswlib graph file, so tests can overwrite one field at a time. */
export const HEADER = {
  offsetLevel0: 0,
  maxElements: 8,
  curElementCount: 16,
  sizeDataPerElement: 24,
  labelOffset: 32,
  offsetData: 40,
  maxLevel: 48,
  entryPoint: 52,
  maxM: 56,
  maxM0: 64,
  M: 72,
  mult: 80,
  efConstruction: 88,
} as const;

export interface HnswLayout {
  readonly count: number;
  readonly maxM0: number;
  readonly maxM: number;
  readonly maxLevel: number;
  readonly entryPoint: number;
  /** Byte offset of node i's level-0 record (its link count). */
  level0(i: number): number;
  /** Byte offset of node i's vector and label. */
  vector(i: number): number;
  label(i: number): number;
  /** Per node: offset of its u32 upper-links size, and its level. */
  readonly upper: readonly { readonly sizeAt: number; readonly level: number }[];
  /** Byte offset of node i's link list at `level` ≥ 1 (its link count). */
  upperList(i: number, level: number): number;
}

export function hnswLayout(b: Buffer): HnswLayout {
  const count = Number(b.readBigUInt64LE(HEADER.curElementCount));
  const dpe = Number(b.readBigUInt64LE(HEADER.sizeDataPerElement));
  const offsetData = Number(b.readBigUInt64LE(HEADER.offsetData));
  const labelOffset = Number(b.readBigUInt64LE(HEADER.labelOffset));
  const maxM = Number(b.readBigUInt64LE(HEADER.maxM));
  const upperLinks = maxM * 4 + 4;
  const upper: { sizeAt: number; level: number }[] = [];
  let at = 96 + count * dpe;
  for (let i = 0; i < count; i++) {
    const size = b.readUInt32LE(at);
    upper.push({ sizeAt: at, level: size / upperLinks });
    at += 4 + size;
  }
  return {
    count,
    maxM,
    maxM0: Number(b.readBigUInt64LE(HEADER.maxM0)),
    maxLevel: b.readInt32LE(HEADER.maxLevel),
    entryPoint: b.readUInt32LE(HEADER.entryPoint),
    level0: (i) => 96 + i * dpe,
    vector: (i) => 96 + i * dpe + offsetData,
    label: (i) => 96 + i * dpe + labelOffset,
    upper,
    upperList: (i, level) => (upper[i] as { sizeAt: number }).sizeAt + 4 + (level - 1) * upperLinks,
  };
}
