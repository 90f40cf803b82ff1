/** Rows carrying both modalities, one, or none (one row unlabelled), for the measures' tests. */
import type { StubRow } from './stub-model.js';

export const MIXED_ROWS: readonly StubRow[] = [
  { label: 0, a: [1, 2], b: [3, 0] },
  { label: 1, a: [-1, 0.5] },
  { label: 1, b: [2, -2] },
  { label: -1 },
  { label: 0, a: [0, 4], b: [-2, 1] },
];
