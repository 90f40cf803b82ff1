/**
 * Instance-level and cross-source retrieval on the test split, for a dataset that declares its
 * instances (RawDataset.instances): every test item of the query's instance is relevant, not only
 * the row's own pair.
 *
 * - Between modalities: for every ordered pair, each test row carrying the first modality queries
 *   every test row carrying the second (an emoji's image finds both vendors' captions of it).
 * - Between sources, within one modality the sources describe: each row of source A queries the
 *   rows of source B only (a Noto drawing finds the Twemoji drawing of the same emoji).
 */
import type { FeatureTable, SampleInstances } from '../../data/contract.js';
import { rowsWith, selectRows } from '../../crossmodal/split-table.js';
import { encodeTable } from '../measures/encode-table.js';
import { keyedRetrievalMetrics, type KeyedRetrievalScores } from '../metrics/keyed-retrieval.js';
import type { JointModel } from '../../model/joint-model.js';
import type { RetrievalSummary } from './retrieval-table.js';

export interface InstanceRetrievalSummary extends RetrievalSummary {
  /** Queries scored: those with a relevant item in the gallery. */
  readonly queries: number;
  /** Queries left out: no item of their instance in the gallery, or no instance key. */
  readonly excludedQueries: number;
  readonly gallery: number;
  /** What a ranking that tells no item apart reaches on the same queries and gallery. */
  readonly chance: Pick<RetrievalSummary, 'recallAt1' | 'recallAt10' | 'meanAveragePrecision'>;
}

export interface InstanceRetrieval {
  /** The dataset's word for an instance ('emoji'). */
  readonly noun: string;
  /** pairs["text→image"]: relevant = every test item of the query's instance. */
  readonly pairs: Record<string, InstanceRetrievalSummary>;
  /** The dataset's word for a source ('vendor'), when it declares sources. */
  readonly sourceNoun?: string;
  /** crossSource["image"]["google→twitter"]: queries of one source, gallery of the other. */
  readonly crossSource?: Record<string, Record<string, InstanceRetrievalSummary>>;
}

function summary(scores: KeyedRetrievalScores): InstanceRetrievalSummary {
  return {
    recallAt1: scores.recallAtK[1] ?? NaN,
    recallAt5: scores.recallAtK[5] ?? NaN,
    recallAt10: scores.recallAtK[10] ?? NaN,
    meanAveragePrecision: scores.meanAveragePrecision,
    medianRank: scores.medianRank,
    queries: scores.evaluatedQueries,
    excludedQueries: scores.excludedQueries,
    gallery: scores.gallery,
    chance: {
      recallAt1: scores.chance.recallAtK[1] ?? NaN,
      recallAt10: scores.chance.recallAtK[10] ?? NaN,
      meanAveragePrecision: scores.chance.meanAveragePrecision,
    },
  };
}

function retrieve(
  model: JointModel,
  queries: FeatureTable,
  from: string,
  gallery: FeatureTable,
  to: string,
  keyOf: (id: string) => string | undefined,
): InstanceRetrievalSummary {
  return summary(
    keyedRetrievalMetrics({
      queries: encodeTable(model, queries, [from]),
      gallery: encodeTable(model, gallery, [to]),
      dim: model.latentSize,
      relevance: { queryKeys: queries.ids.map(keyOf), galleryKeys: gallery.ids.map(keyOf) },
    }),
  );
}

/** Rows of `table` by source, sources in sorted order; rows of no known source are left out. */
function rowsBySource(
  table: FeatureTable,
  sourceOf: (id: string) => string | undefined,
): Map<string, FeatureTable> {
  const rows = new Map<string, number[]>();
  table.ids.forEach((id, i) => {
    const source = sourceOf(id);
    if (source === undefined) return;
    const list = rows.get(source);
    if (list) list.push(i);
    else rows.set(source, [i]);
  });
  const sorted = [...rows.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return new Map(sorted.map(([source, list]) => [source, selectRows(table, list)]));
}

function crossSource(
  model: JointModel,
  test: FeatureTable,
  instances: SampleInstances,
): Record<string, Record<string, InstanceRetrievalSummary>> {
  const sources = instances.sources;
  if (!sources) return {};
  const keyOf = (id: string) => instances.instanceOf(id);
  const out: Record<string, Record<string, InstanceRetrievalSummary>> = {};
  for (const modality of model.names) {
    if (sources.modalities && !sources.modalities.includes(modality)) continue;
    const bySource = rowsBySource(rowsWith(test, [modality]), (id) => sources.sourceOf(id));
    const row: Record<string, InstanceRetrievalSummary> = {};
    for (const [a, queries] of bySource) {
      for (const [b, gallery] of bySource) {
        if (a === b) continue;
        row[`${a}→${b}`] = retrieve(model, queries, modality, gallery, modality, keyOf);
      }
    }
    if (Object.keys(row).length) out[modality] = row;
  }
  return out;
}

/** The instance and cross-source retrieval of a run; undefined when there is nothing to rank. */
export function instanceRetrieval(
  model: JointModel,
  test: FeatureTable,
  instances: SampleInstances,
): InstanceRetrieval | undefined {
  const keyOf = (id: string) => instances.instanceOf(id);
  const pairs: Record<string, InstanceRetrievalSummary> = {};
  for (const from of model.names) {
    for (const to of model.names) {
      if (from === to) continue;
      const queries = rowsWith(test, [from]);
      const gallery = rowsWith(test, [to]);
      if (queries.size === 0 || gallery.size === 0) continue;
      pairs[`${from}→${to}`] = retrieve(model, queries, from, gallery, to, keyOf);
    }
  }
  const bySource = crossSource(model, test, instances);
  if (Object.keys(pairs).length === 0 && Object.keys(bySource).length === 0) return undefined;
  return {
    noun: instances.noun,
    pairs,
    ...(instances.sources ? { sourceNoun: instances.sources.noun, crossSource: bySource } : {}),
  };
}
