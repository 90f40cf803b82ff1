/**
 * Captions generated from a sample's other modalities, scored by token F1 against what the
 * dataset says the sample is (CaptionReferences: an emoji's CLDR name and keywords). Class
 * coherence cannot judge a caption here: "grinning face" and "beaming face with smiling eyes"
 * are one Unicode group, so a model naming the wrong emoji of the right group would score 100 %.
 *
 * Two references per row: the label alone (did it name this emoji?) and the label with every
 * keyword (did it say things true of it?). Each test row with a reference and the source
 * modality is one caption; its code comes from the source alone.
 */
import type { CaptionReferences, FeatureTable } from '../../data/contract.js';
import { rowsWith, selectRows } from '../../crossmodal/split-table.js';
import type { JointModel } from '../../model/joint-model.js';
import { encodeTable } from '../measures/encode-table.js';
import { tokenOverlap, wordTokens, type TokenOverlap } from '../metrics/token-f1.js';
import { generatedFeatures } from './generated-features.js';

export interface CaptionScoreSummary {
  /** Captions scored. */
  readonly rows: number;
  /** Mean precision, recall and F1 against the label's tokens. */
  readonly label: TokenOverlap;
  /** Mean precision, recall and F1 against the label's and every keyword's tokens. */
  readonly labelAndKeywords: TokenOverlap;
  /** Share of captions whose tokens are exactly the label's. */
  readonly exactLabel: number;
  /** The first few captions with their labels, to read beside the numbers. */
  readonly examples: { readonly id: string; readonly generated: string; readonly label: string }[];
}

export interface CaptionScores {
  /** The text modality generated. */
  readonly modality: string;
  /** from[source]: captions generated from that modality alone. */
  readonly from: Record<string, CaptionScoreSummary>;
}

const EXAMPLES = 8;

function mean(values: readonly TokenOverlap[]): TokenOverlap {
  const sum = (key: keyof TokenOverlap) => values.reduce((a, v) => a + v[key], 0) / values.length;
  return { precision: sum('precision'), recall: sum('recall'), f1: sum('f1') };
}

async function captionsFrom(
  model: JointModel,
  rows: FeatureTable,
  source: string,
  text: string,
): Promise<string[]> {
  const codes = encodeTable(model, rows, [source]);
  const ids = generatedFeatures(model, codes, text);
  const instance = model.part(text).instance;
  const width = instance.featureSpec.shape.reduce((a, b) => a * b, 1);
  const out: string[] = [];
  for (let i = 0; i < rows.size; i++) {
    const artefact = await instance.render(ids.subarray(i * width, (i + 1) * width));
    out.push(artefact.kind === 'text' ? artefact.text : '');
  }
  return out;
}

export async function captionScores(
  model: JointModel,
  test: FeatureTable,
  references: CaptionReferences,
): Promise<CaptionScores | undefined> {
  const text = references.modality;
  if (!model.names.includes(text)) return undefined;
  const from: Record<string, CaptionScoreSummary> = {};
  for (const source of model.names.filter((m) => m !== text)) {
    const withSource = rowsWith(test, [source]);
    const keep: number[] = [];
    const refs: { label: string; keywords: readonly string[] }[] = [];
    withSource.ids.forEach((id, i) => {
      const reference = references.referencesOf(id);
      if (reference === undefined) return;
      keep.push(i);
      refs.push(reference);
    });
    if (keep.length === 0) continue;
    const rows = selectRows(withSource, keep);
    const captions = await captionsFrom(model, rows, source, text);
    const label: TokenOverlap[] = [];
    const all: TokenOverlap[] = [];
    let exact = 0;
    captions.forEach((caption, i) => {
      const generated = wordTokens(caption);
      const ref = refs[i]!;
      const labelTokens = wordTokens(ref.label);
      label.push(tokenOverlap(generated, labelTokens));
      all.push(tokenOverlap(generated, [...labelTokens, ...ref.keywords.flatMap(wordTokens)]));
      if (generated.join(' ') === labelTokens.join(' ')) exact++;
    });
    from[source] = {
      rows: captions.length,
      label: mean(label),
      labelAndKeywords: mean(all),
      exactLabel: exact / captions.length,
      examples: captions
        .slice(0, EXAMPLES)
        .map((generated, i) => ({ id: rows.ids[i]!, generated, label: refs[i]!.label })),
    };
  }
  return Object.keys(from).length ? { modality: text, from } : undefined;
}
