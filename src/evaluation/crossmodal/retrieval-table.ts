/**
 * Cross-modal retrieval for every ordered pair of modalities on the rows that carry both:
 * class level (any item of the query's class is relevant) and instance level (only the row's own
 * item of the other modality is).
 */
import type { FeatureTable } from '../../data/contract.js';
import { retrievalMetrics, type RetrievalScores } from '../metrics/retrieval-metrics.js';
import { encodeTable } from '../measures/encode-table.js';
import type { JointModel } from '../../model/joint-model.js';
import { rowsWith } from '../../crossmodal/split-table.js';

export interface PairRetrieval {
  readonly queries: number;
  readonly classLevel?: RetrievalSummary;
  /** Only when query row i's own item is gallery row i. */
  readonly instanceLevel?: RetrievalSummary;
}

export interface RetrievalSummary {
  readonly recallAt1: number;
  readonly recallAt5: number;
  readonly recallAt10: number;
  readonly meanAveragePrecision: number;
  readonly medianRank: number;
}

function summary(scores: RetrievalScores): RetrievalSummary {
  return {
    recallAt1: scores.recallAtK[1] ?? NaN,
    recallAt5: scores.recallAtK[5] ?? NaN,
    recallAt10: scores.recallAtK[10] ?? NaN,
    meanAveragePrecision: scores.meanAveragePrecision,
    medianRank: scores.medianRank,
  };
}

/** Retrieval of gallery codes by query codes; `paired`: query i's own item is gallery row i. */
export function pairRetrieval(
  model: JointModel,
  queries: Float32Array,
  gallery: Float32Array,
  queryLabels: Int32Array,
  galleryLabels: Int32Array,
  paired = true,
): PairRetrieval {
  const n = queryLabels.length;
  const labelled = queryLabels.some((l) => l >= 0);
  const report = retrievalMetrics({
    queries,
    gallery,
    dim: model.latentSize,
    ...(paired ? { pairs: Int32Array.from({ length: n }, (_, i) => i) } : {}),
    ...(labelled ? { queryLabels, galleryLabels } : {}),
  });
  return {
    queries: n,
    ...(report.classLevel ? { classLevel: summary(report.classLevel) } : {}),
    ...(report.instanceLevel ? { instanceLevel: summary(report.instanceLevel) } : {}),
  };
}

/** retrieval["image→text"] for every ordered pair. */
export function retrievalTable(
  model: JointModel,
  test: FeatureTable,
): Record<string, PairRetrieval> {
  const out: Record<string, PairRetrieval> = {};
  for (const from of model.names) {
    for (const to of model.names) {
      if (from === to) continue;
      const rows = rowsWith(test, [from, to]);
      if (rows.size === 0) continue;
      out[`${from}→${to}`] = pairRetrieval(
        model,
        encodeTable(model, rows, [from]),
        encodeTable(model, rows, [to]),
        rows.labels,
        rows.labels,
      );
    }
  }
  return out;
}
