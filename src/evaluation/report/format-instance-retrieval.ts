/**
 * report.md's sections for instance-level and cross-source retrieval, written only when the
 * dataset declares its instances. The words are the dataset's own ('emoji', 'vendor').
 */
import type {
  InstanceRetrieval,
  InstanceRetrievalSummary,
} from '../crossmodal/instance-retrieval.js';

const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
const rank = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');
const arrow = (pair: string) => pair.replace('→', ' → ');

const HEADER =
  '| queries | left out | gallery | R@1 | R@5 | R@10 | mAP | median rank | chance R@1 / R@10 / mAP |';

function cells(s: InstanceRetrievalSummary): string {
  const c = s.chance;
  return (
    `| ${s.queries} | ${s.excludedQueries} | ${s.gallery} | ${f(s.recallAt1)} | ` +
    `${f(s.recallAt5)} | ${f(s.recallAt10)} | ${f(s.meanAveragePrecision)} | ${rank(s.medianRank)} | ` +
    `${f(c.recallAt1)} / ${f(c.recallAt10)} / ${f(c.meanAveragePrecision)} |`
  );
}

const TIES =
  'Tied scores count as their expected order (a collapsed encoder gets chance, not rank 1). ' +
  '"Left out": queries with no item of their {noun} in the gallery. "Chance": what a ranking ' +
  'that tells no item apart reaches on the same queries and gallery.';

export function formatInstanceRetrieval(r: InstanceRetrieval | undefined): string[] {
  if (!r) return [];
  const lines: string[] = [];
  const ties = TIES.replace('{noun}', r.noun);
  if (Object.keys(r.pairs).length) {
    lines.push(
      '',
      `## Instance-level retrieval: the same ${r.noun}`,
      '',
      `Each test item queries the test items of another modality. Relevant: every item of the ` +
        `query's ${r.noun}, whatever its rendering, not only the row's own pair (the ` +
        `"instance R@1/5/10" rows above). ${ties}`,
      '',
      `| query → gallery ${HEADER}`,
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...Object.entries(r.pairs).map(([pair, s]) => `| ${arrow(pair)} ${cells(s)}`),
    );
  }
  const bySource = Object.entries(r.crossSource ?? {});
  if (r.sourceNoun && bySource.length) {
    const noun = r.sourceNoun;
    lines.push(
      '',
      `## Cross-${noun} retrieval: the same ${r.noun}, from another ${noun}`,
      '',
      `Within one modality, items of one ${noun} query the items of another ${noun} only. ` +
        `Relevant: the other ${noun}'s items of the query's ${r.noun}. ${ties}`,
      '',
      `| modality | query ${noun} → gallery ${noun} ${HEADER}`,
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...bySource.flatMap(([modality, row]) =>
        Object.entries(row).map(([pair, s]) => `| ${modality} | ${arrow(pair)} ${cells(s)}`),
      ),
    );
  }
  return lines;
}
