/**
 * The linear probe (metrics/linear-probe.ts) of a model: how linearly its codes, encoded from
 * some modalities, read out the table's labels.
 */
import type { FeatureTable } from '../../data/contract.js';
import { linearProbe, type LabelledCodes } from '../metrics/linear-probe.js';
import type { JointModel } from '../../model/joint-model.js';
import { encodeTable } from './encode-table.js';

/** Codes [n, latent] of a table's labelled rows that carry at least one of the modalities. */
export function labelledCodes(
  model: JointModel,
  table: FeatureTable,
  modalities: readonly string[],
): LabelledCodes {
  const codes = encodeTable(model, table, modalities);
  const latent = model.latentSize;
  const keep: number[] = [];
  for (let i = 0; i < table.size; i++) {
    if (table.labels[i]! >= 0 && Number.isFinite(codes[i * latent]!)) keep.push(i);
  }
  const out = new Float32Array(keep.length * latent);
  keep.forEach((row, j) => out.set(codes.subarray(row * latent, (row + 1) * latent), j * latent));
  return { codes: out, labels: Int32Array.from(keep, (row) => table.labels[row]!) };
}

/** Linear-probe test accuracy of codes from `modalities` (rows without a label or code dropped). */
export async function linearProbeOf(
  model: JointModel,
  train: FeatureTable,
  test: FeatureTable,
  modalities: readonly string[],
  seed: number,
): Promise<number> {
  return linearProbeOfCodes(
    labelledCodes(model, train, modalities),
    labelledCodes(model, test, modalities),
    model.latentSize,
    seed,
  );
}

/** The same from codes already computed. */
export async function linearProbeOfCodes(
  train: LabelledCodes,
  test: LabelledCodes,
  latentSize: number,
  seed: number,
): Promise<number> {
  return (await linearProbe(train, test, latentSize, { seed })).testAccuracy;
}
