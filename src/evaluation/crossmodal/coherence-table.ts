/**
 * Coherence (MMVAE / MoPoE protocol): generate each modality from every subset of the others and
 * ask that modality's judge whether the generated sample still shows the input's class; and, for
 * VAE families, how often the modalities generated from one prior draw agree with each other.
 */
import * as tf from '@tensorflow/tfjs';
import type { FeatureTable } from '../../data/contract.js';
import { coherence } from '../metrics/coherence.js';
import { encodeTable } from '../measures/encode-table.js';
import type { JointModel } from '../../model/joint-model.js';
import { generatedFeatures } from './generated-features.js';
import type { ModalityJudge } from './modality-judges.js';
import { nonEmptySubsets, subsetName } from '../../variants/shared/subsets.js';
import { rowsWith } from '../../crossmodal/split-table.js';

/** Predicted classes of features generated for `output` from `codes`. */
export function judgeGenerated(
  model: JointModel,
  judge: ModalityJudge,
  codes: Float32Array,
  output: string,
): Int32Array {
  const n = codes.length / model.latentSize;
  return judge.classifier.predict(judge.input.toRows(generatedFeatures(model, codes, output), n));
}

/** coherence[output][subset]: share of generated outputs judged as the input's class. */
export function conditionalCoherence(
  model: JointModel,
  judges: Readonly<Record<string, ModalityJudge>>,
  test: FeatureTable,
): Record<string, Record<string, number>> {
  const table: Record<string, Record<string, number>> = {};
  for (const subset of nonEmptySubsets(model.names)) {
    const rows = rowsWith(test, subset);
    const labels = rows.labels;
    const keep = Array.from(labels.keys()).filter((i) => labels[i]! >= 0);
    if (keep.length === 0) continue;
    const codes = encodeTable(model, rows, subset);
    for (const output of model.names) {
      const predicted = judgeGenerated(model, judges[output]!, codes, output);
      const kept = keep.map((i) => predicted[i]!);
      (table[output] ??= {})[subsetName(subset)] = coherence(
        kept,
        keep.map((i) => labels[i]!),
      );
    }
  }
  return table;
}

/** Share of prior draws whose generated modalities all get the same class from their judges. */
export function jointCoherence(
  model: JointModel,
  judges: Readonly<Record<string, ModalityJudge>>,
  samples: number,
  seed: number,
): number {
  const z = tf.randomNormal([samples, model.latentSize], 0, 1, 'float32', seed);
  const codes = Float32Array.from(z.dataSync());
  z.dispose();
  const predictions = model.names.map((name) => judgeGenerated(model, judges[name]!, codes, name));
  let agree = 0;
  for (let i = 0; i < samples; i++) {
    const first = predictions[0]![i];
    if (predictions.every((p) => p[i] === first)) agree++;
  }
  return agree / samples;
}
