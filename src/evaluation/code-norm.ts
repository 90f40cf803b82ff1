/**
 * Mean Euclidean norm of the codes (posterior means for VAEs) a table's rows get from the given
 * modalities. Compared between the training and the test split it shows a shift that a linear
 * probe cannot: the probe only needs the direction of a code, a decoder needs its place, and
 * held-out inputs (a new speaker's voice) that land nearer the origin than training inputs get
 * the decoder's ambiguous, averaged outputs.
 */
import type { FeatureTable } from '../data/contract.js';
import type { JointModel } from '../model/joint-model.js';
import { encodeTable } from './encode-table.js';

export function meanCodeNorm(
  model: JointModel,
  table: FeatureTable,
  modalities: readonly string[],
): number | undefined {
  const codes = encodeTable(model, table, modalities);
  const latent = model.latentSize;
  let sum = 0;
  let rows = 0;
  for (let i = 0; i < table.size; i++) {
    if (!Number.isFinite(codes[i * latent]!)) continue; // a row without these modalities
    let squares = 0;
    for (let j = 0; j < latent; j++) squares += codes[i * latent + j]! ** 2;
    sum += Math.sqrt(squares);
    rows++;
  }
  return rows === 0 ? undefined : sum / rows;
}
