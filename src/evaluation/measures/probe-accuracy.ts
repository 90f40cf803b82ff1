/**
 * The accuracy of a linear probe (metrics/linear-probe.ts) on a model's codes: how linearly its
 * codes, encoded from some modalities, read out a table's labels.
 */
import type { FeatureTable } from '../../data/contract.js';
import { linearProbe, type LabelledCodes } from '../metrics/linear-probe.js';
import { meanCodeNorm } from '../metrics/code-norm.js';
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
export async function probeAccuracy(
  model: JointModel,
  train: FeatureTable,
  test: FeatureTable,
  modalities: readonly string[],
  seed: number,
): Promise<number> {
  return probeAccuracyOfCodes(
    labelledCodes(model, train, modalities),
    labelledCodes(model, test, modalities),
    model.latentSize,
    seed,
  );
}

/** The same from codes already computed. */
export async function probeAccuracyOfCodes(
  train: LabelledCodes,
  test: LabelledCodes,
  latentSize: number,
  seed: number,
): Promise<number> {
  return (await linearProbe(train, test, latentSize, { seed })).testAccuracy;
}

/** The probe table of a model: accuracies by source, and code norms on train and test. */
export interface ProbeTable {
  /** linearProbe.all from all modalities; with two or more, linearProbe[name] from each alone. */
  readonly linearProbe: Record<string, number>;
  /** codeNorm[name]: the mean code norm from that modality alone (two or more modalities). */
  readonly codeNorm?: Record<string, { train: number; test: number }>;
}

/**
 * Linear-probe accuracy from all modalities and, with two or more, from each alone, with the
 * mean code norm of each alone on train and test (from the same codes). Empty when the test
 * table has no labels.
 */
export async function probeTable(
  model: JointModel,
  train: FeatureTable,
  test: FeatureTable,
  seed: number,
): Promise<ProbeTable> {
  if (!test.labels.some((l) => l >= 0)) return { linearProbe: {} };
  const linearProbe: Record<string, number> = {
    all: await probeAccuracy(model, train, test, model.names, seed),
  };
  if (model.names.length < 2) return { linearProbe };
  const codeNorm: Record<string, { train: number; test: number }> = {};
  for (const name of model.names) {
    const onTrain = labelledCodes(model, train, [name]);
    const onTest = labelledCodes(model, test, [name]);
    linearProbe[name] = await probeAccuracyOfCodes(onTrain, onTest, model.latentSize, seed);
    const norms = [onTrain, onTest].map((c) => meanCodeNorm(c.codes, model.latentSize));
    if (norms[0] !== undefined && norms[1] !== undefined) {
      codeNorm[name] = { train: norms[0], test: norms[1] };
    }
  }
  return { linearProbe, codeNorm };
}
