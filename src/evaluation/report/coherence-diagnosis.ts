/**
 * Why a cross-modal generation is less coherent than it could be. For each pair of single
 * modalities, generation from `input` to `output` is bounded twice: by how well the `output`
 * judge reads real data of its kind (it cannot certify more), and by how much of the class the
 * `input` code carries (a linear probe on it). The diagnosis names the bound that binds, or the
 * decoder when neither does, so report.md says what a family reaches and why.
 */
import { classWording } from './class-wording.js';
import type { EvalReport } from './eval-report.js';

export type CoherenceLimit = 'judge' | 'input code' | 'generation';

export interface CoherenceDiagnosis {
  readonly input: string;
  readonly output: string;
  readonly coherence: number;
  /** The output judge's accuracy on real test data. */
  readonly judgeAccuracy: number;
  /** Linear-probe accuracy from the input's code alone, when evaluated. */
  readonly probeAccuracy?: number;
  readonly limit: CoherenceLimit;
  readonly explanation: string;
}

/** Within this many points of a bound, the bound is what holds coherence back. */
const AT_BOUND = 0.015;

/** Test codes whose mean norm is below this share of the training codes' count as shrunk. */
const SHRUNK = 0.85;

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;

function shrinkage(input: string, output: string, norm: { train: number; test: number }): string {
  return (
    `; the test ${input} codes sit ${pct(1 - norm.test / norm.train)} nearer the origin than ` +
    `the training ones (mean norm ${norm.test.toFixed(2)} against ${norm.train.toFixed(2)}), ` +
    `where the ${output} decoder gives averaged, ambiguous ${output}s: held-out ${input} ` +
    `inputs are unlike the training ones (more varied training data or augmentation helps)`
  );
}

export function diagnoseCoherence(report: EvalReport): CoherenceDiagnosis[] {
  const cross = report.crossModal;
  if (!cross) return [];
  const out: CoherenceDiagnosis[] = [];
  const label = classWording(report.classes);
  for (const output of report.modalities) {
    for (const input of report.modalities) {
      const coherence = cross.coherence[output]?.[input];
      const judgeAccuracy = cross.classifierAccuracy[output];
      if (input === output || coherence === undefined || judgeAccuracy === undefined) continue;
      const probeAccuracy = report.linearProbe[input];
      const base = { input, output, coherence, judgeAccuracy };
      const withProbe = probeAccuracy === undefined ? base : { ...base, probeAccuracy };
      const found = explain(input, output, label, coherence, judgeAccuracy, probeAccuracy);
      const norm = report.codeNorm?.[input];
      const shifted =
        found.limit === 'generation' && norm !== undefined && norm.test < SHRUNK * norm.train;
      out.push({
        ...withProbe,
        limit: found.limit,
        explanation: shifted
          ? found.explanation + shrinkage(input, output, norm)
          : found.explanation,
      });
    }
  }
  return out;
}

function explain(
  input: string,
  output: string,
  label: string,
  coherence: number,
  judge: number,
  probe: number | undefined,
): { limit: CoherenceLimit; explanation: string } {
  if (coherence >= judge - AT_BOUND) {
    return {
      limit: 'judge',
      explanation:
        `at the ceiling of the ${output} judge, which reads real test ${output} at ` +
        `${pct(judge)}; a better judge, not a better model, would show more`,
    };
  }
  if (probe !== undefined && coherence >= probe - AT_BOUND) {
    return {
      limit: 'input code',
      explanation:
        `the ${input} code carries ${label} to a linear probe at only ${pct(probe)}, and ` +
        `generation cannot recover what the code lacks: the ${input} encoder is the weak link`,
    };
  }
  const bound = Math.min(judge, probe ?? 1);
  const probed =
    probe === undefined
      ? `the ${input} code was not probed for ${label}`
      : `a linear probe reads ${label} from the ${input} code at ${pct(probe)}`;
  return {
    limit: 'generation',
    explanation:
      `${probed} ` +
      `and the judge reads real ${output} at ${pct(judge)}, so ${((bound - coherence) * 100).toFixed(1)} ` +
      `points are lost between the code and the generated ${output}: the ${output} decoder, from ` +
      `codes of the ${input} encoder, is the weak link`,
  };
}

export function formatDiagnosis(rows: readonly CoherenceDiagnosis[]): string[] {
  if (rows.length === 0) return [];
  return [
    '',
    '## Cross-modal coherence: what each generation reaches and what bounds it',
    '',
    '| from | to | coherence | judge on real data | linear probe of input code | bound | why |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.input} | ${r.output} | ${pct(r.coherence)} | ${pct(r.judgeAccuracy)} | ` +
        `${r.probeAccuracy === undefined ? '–' : pct(r.probeAccuracy)} | ${r.limit} | ${r.explanation} |`,
    ),
  ];
}
