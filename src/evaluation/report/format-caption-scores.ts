/** report.md's section on generated captions scored by token F1 (datasets with caption references). */
import type { CaptionScores } from '../crossmodal/caption-scores.js';

const f = (v: number) => (Number.isFinite(v) ? v.toFixed(3) : '–');
/** A caption in a table cell: pipes would split the cell. */
const cell = (text: string) => text.replace(/\|/g, '\\|');

export function formatCaptionScores(scores: CaptionScores | undefined): string[] {
  if (!scores) return [];
  const lines = [
    '',
    `## Generated ${scores.modality}: token F1 against the dataset's references`,
    '',
    `Each test item's ${scores.modality} generated from one other modality alone, as bags of ` +
      'lower-case word tokens against the label, and against the label with every keyword ' +
      '(precision / recall / F1, means over captions). "Exact": the caption is the label.',
    '',
    '| from | captions | label P / R / F1 | label + keywords P / R / F1 | exact |',
    '| --- | --- | --- | --- | --- |',
  ];
  for (const [source, s] of Object.entries(scores.from)) {
    const l = s.label;
    const k = s.labelAndKeywords;
    lines.push(
      `| ${source} | ${s.rows} | ${f(l.precision)} / ${f(l.recall)} / **${f(l.f1)}** | ` +
        `${f(k.precision)} / ${f(k.recall)} / ${f(k.f1)} | ${f(s.exactLabel)} |`,
    );
  }
  for (const [source, s] of Object.entries(scores.from)) {
    if (!s.examples.length) continue;
    lines.push('', `Captions generated from ${source} (first ${s.examples.length}):`, '');
    lines.push('| item | label | generated |', '| --- | --- | --- |');
    for (const e of s.examples)
      lines.push(`| ${cell(e.id)} | ${cell(e.label)} | ${cell(e.generated)} |`);
  }
  return lines;
}
