/** Medians over repetitions, ours/PyTorch ratios, and the markdown table of bench/results. */
import type { ChildResult } from './child-run.js';
import type { MetricSpec, WorkloadSpec } from './workloads.js';

export interface WorkloadRuns {
  readonly spec: WorkloadSpec;
  readonly metrics: readonly MetricSpec[];
  readonly ours: ChildResult[];
  readonly reference: ChildResult[];
}

export function median(values: readonly number[]): number | undefined {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

function medianOf(
  runs: readonly ChildResult[],
  pick: (r: ChildResult) => number | undefined,
): number | undefined {
  return median(
    runs
      .filter((r) => r.ok)
      .map(pick)
      .filter((x): x is number => x !== undefined),
  );
}

export interface SummaryRow {
  readonly workload: string;
  readonly metric: string;
  readonly ours?: number;
  readonly pytorch?: number;
  readonly ratio?: number;
  readonly digits: number;
}

export function summarise(w: WorkloadRuns): SummaryRow[] {
  const rows: SummaryRow[] = w.metrics.map((m) => {
    const ours = medianOf(w.ours, (r) => r.metrics[m.key]);
    const pytorch = medianOf(w.reference, (r) => r.metrics[m.key]);
    const ratio =
      ours !== undefined && pytorch !== undefined && pytorch !== 0 ? ours / pytorch : undefined;
    return { workload: w.spec.id, metric: m.label, ours, pytorch, ratio, digits: m.digits };
  });
  rows.push({
    workload: w.spec.id,
    metric: 'peak RSS of the child (MB)',
    ours: medianOf(w.ours, (r) => r.maxRssMb),
    pytorch: medianOf(w.reference, (r) => r.maxRssMb),
    digits: 0,
  });
  return rows;
}

function cell(v: number | undefined, digits: number): string {
  return v === undefined ? '—' : v.toFixed(digits);
}

export function markdownTable(rows: readonly SummaryRow[]): string {
  const lines = [
    '| Workload | Metric | Ours (median) | PyTorch (median) | Ours / PyTorch |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const r of rows) {
    lines.push(
      `| ${r.workload} | ${r.metric} | ${cell(r.ours, r.digits)} | ${cell(r.pytorch, r.digits)} | ${cell(r.ratio, 2)} |`,
    );
  }
  return lines.join('\n') + '\n';
}
