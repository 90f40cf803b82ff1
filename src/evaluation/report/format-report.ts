/** An EvalReport as report.md: the tables, the coherence diagnosis, warnings and figures. */
import { className } from './class-wording.js';
import { diagnoseCoherence, formatDiagnosis } from './coherence-diagnosis.js';
import type { EvalReport } from './eval-report.js';
import { formatInstanceRetrieval } from './format-instance-retrieval.js';
import { formatCaptionScores } from './format-caption-scores.js';

const f = (v: number | undefined, digits = 4) => (v === undefined ? '–' : v.toFixed(digits));

export function formatReport(r: EvalReport): string {
  const lines = [
    `# Evaluation of ${r.run}`,
    '',
    `variant **${r.variant}**, modalities ${r.modalities.join(', ')}, ${r.epochs} epochs, ${r.testSize} test samples`,
    '',
    '| metric | value |',
    '| --- | --- |',
    ...Object.entries(r.testLoss).map(([k, v]) => `| test loss: ${k} | ${f(v)} |`),
  ];
  if (r.testElbo !== undefined) lines.push(`| test ELBO (nats) | ${f(r.testElbo, 2)} |`);
  if (r.iwNll !== undefined) lines.push(`| IW-NLL estimate (nats) | ${f(r.iwNll, 2)} |`);
  for (const [source, acc] of Object.entries(r.linearProbe)) {
    lines.push(`| linear-probe accuracy from ${source} | ${f(acc * 100, 2)} % |`);
  }
  for (const [source, norm] of Object.entries(r.codeNorm ?? {})) {
    lines.push(
      `| mean code norm from ${source}, train / test | ${f(norm.train, 2)} / ${f(norm.test, 2)} |`,
    );
  }
  for (const [target, row] of Object.entries(r.reconstruction)) {
    for (const [source, err] of Object.entries(row)) {
      lines.push(`| reconstruction error of ${target} from ${source} | ${f(err, 5)} |`);
    }
  }
  if (r.sparsity) {
    lines.push(`| mean absolute code | ${f(r.sparsity.meanAbsCode)} |`);
    lines.push(
      `| codes below ${r.sparsity.threshold} | ${f(r.sparsity.shareNearZero * 100, 1)} % |`,
    );
  }
  if (r.anomaly) {
    lines.push(
      `| anomaly AUROC (class ${r.anomaly.excludedClasses.map((c) => className(c, r.classes)).join(', ')} held out) | ${f(r.anomaly.auroc)} |`,
    );
  }
  for (const [pair, p] of Object.entries(r.crossModal?.retrieval ?? {})) {
    const c = p.classLevel;
    const i = p.instanceLevel;
    if (c)
      lines.push(
        `| ${pair} class R@1/5/10 | ${f(c.recallAt1, 3)} / ${f(c.recallAt5, 3)} / ${f(c.recallAt10, 3)} |`,
      );
    if (i)
      lines.push(
        `| ${pair} instance R@1/5/10 | ${f(i.recallAt1, 3)} / ${f(i.recallAt5, 3)} / ${f(i.recallAt10, 3)} |`,
      );
  }
  for (const [modality, accuracy] of Object.entries(r.crossModal?.classifierAccuracy ?? {})) {
    lines.push(`| coherence judge accuracy on real test ${modality} | ${f(accuracy * 100, 1)} % |`);
  }
  for (const [target, row] of Object.entries(r.crossModal?.coherence ?? {})) {
    for (const [inputs, v] of Object.entries(row))
      lines.push(`| coherence of ${target} from ${inputs} | ${f(v * 100, 1)} % |`);
  }
  if (r.crossModal?.jointCoherence !== undefined) {
    lines.push(
      `| joint coherence (prior samples) | ${f(r.crossModal.jointCoherence * 100, 1)} % |`,
    );
  }
  lines.push(...formatInstanceRetrieval(r.instanceRetrieval));
  lines.push(...formatCaptionScores(r.captionScores));
  lines.push(...formatDiagnosis(diagnoseCoherence(r)));
  if (r.warnings?.length) lines.push('', '## Warnings', '', ...r.warnings.map((w) => `- ${w}`));
  lines.push('', ...r.files.map((file) => `![${file}](${file.replace(/^eval\//, '')})`), '');
  return lines.join('\n');
}
