/**
 * Medians (min–max) per setting over repetitions, ours against PyTorch's fastest setting, ours at
 * N threads against ours at 1 thread, and the markdown of bench/results/latest.md.
 */
import type { ChildResult } from './child-run.js';
import type { Setting } from './settings.js';
import type { MetricSpec, WorkloadSpec } from './workloads.js';

export interface SettingRuns {
  readonly setting: Setting;
  readonly runs: readonly ChildResult[];
}

export interface WorkloadRuns {
  readonly spec: Pick<WorkloadSpec, 'id'>;
  readonly metrics: readonly MetricSpec[];
  readonly settings: readonly SettingRuns[];
}

export interface Stat {
  readonly median?: number;
  readonly min?: number;
  readonly max?: number;
  /** Successful runs with a finite value. */
  readonly n: number;
}

/** The key of the peak-RSS figure in `SettingSummary.metrics` (from /usr/bin/time, not the child). */
export const PEAK_RSS = 'peakRssMb';

export interface SettingSummary {
  readonly label: string;
  readonly side: 'ours' | 'reference';
  /** Ours: MMAE_THREADS (absent: the default pool); reference: torch's threads. */
  readonly threads?: number;
  readonly build?: string;
  /** torch.__version__ as the reference children report it (distinct values). */
  readonly torchVersions?: readonly string[];
  readonly description: string;
  readonly runs: number;
  readonly failed: number;
  readonly metrics: Readonly<Record<string, Stat>>;
}

export interface VersusBest {
  readonly ours: string;
  readonly metric: string;
  readonly label: string;
  readonly digits: number;
  readonly value?: number;
  readonly best?: number;
  readonly ratio?: number;
}

export interface VersusOneThread {
  readonly ours: string;
  /** Wall speed-up over ours at 1 thread (> 1: faster). */
  readonly wallSpeedup?: number;
  /** CPU seconds against ours at 1 thread's (> 1: more CPU spent). */
  readonly cpuRatio?: number;
}

export interface WorkloadSummary {
  readonly workload: string;
  readonly settings: readonly SettingSummary[];
  /** The reference setting with the best median on the workload's wall metric. */
  readonly best?: {
    readonly label: string;
    readonly description: string;
    readonly metric: string;
    readonly median: number;
  };
  readonly versusBest: readonly VersusBest[];
  readonly versusOneThread: readonly VersusOneThread[];
}

export function median(values: readonly number[]): number | undefined {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return undefined;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : ((v[mid - 1] as number) + (v[mid] as number)) / 2;
}

export function stat(values: readonly (number | undefined)[]): Stat {
  const v = values.filter((x): x is number => x !== undefined && Number.isFinite(x));
  if (v.length === 0) return { n: 0 };
  return { median: median(v), min: Math.min(...v), max: Math.max(...v), n: v.length };
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function distinctStrings(runs: readonly ChildResult[], key: string): string[] {
  const out = new Set<string>();
  for (const r of runs) {
    const v = r.info[key];
    if (typeof v === 'string') out.add(v);
  }
  return [...out];
}

export function describeSetting(setting: Setting, torchVersions: readonly string[] = []): string {
  if (setting.side === 'ours') {
    return setting.threads === undefined
      ? 'mmae, default pool'
      : `mmae, ${plural(setting.threads, 'thread')}`;
  }
  const version = torchVersions.length > 0 ? ` ${torchVersions.join(' / ')}` : '';
  return `PyTorch${version} (${setting.build}), ${plural(setting.threads, 'thread')}`;
}

function summariseSetting(s: SettingRuns, metrics: readonly MetricSpec[]): SettingSummary {
  const ok = s.runs.filter((r) => r.ok);
  const values: Record<string, Stat> = {};
  for (const m of metrics) values[m.key] = stat(ok.map((r) => r.metrics[m.key]));
  values[PEAK_RSS] = stat(ok.map((r) => r.maxRssMb));
  const torchVersions = s.setting.side === 'reference' ? distinctStrings(ok, 'torchVersion') : [];
  const { setting } = s;
  return {
    label: setting.label,
    side: setting.side,
    ...(setting.threads !== undefined ? { threads: setting.threads } : {}),
    ...(setting.side === 'reference' ? { build: setting.build, torchVersions } : {}),
    description: describeSetting(setting, torchVersions),
    runs: ok.length,
    failed: s.runs.length - ok.length,
    metrics: values,
  };
}

const better = (m: MetricSpec): 'lower' | 'higher' => m.better ?? 'lower';

/** The metric that decides "fastest": the wall one, else the first. */
function primaryMetric(metrics: readonly MetricSpec[]): MetricSpec | undefined {
  return metrics.find((m) => m.role === 'wall') ?? metrics[0];
}

export function summarise(w: WorkloadRuns): WorkloadSummary {
  const settings = w.settings.map((s) => summariseSetting(s, w.metrics));
  const ours = settings.filter((s) => s.side === 'ours');
  const references = settings.filter((s) => s.side === 'reference');

  const primary = primaryMetric(w.metrics);
  let best: WorkloadSummary['best'];
  if (primary) {
    for (const r of references) {
      const v = r.metrics[primary.key]?.median;
      if (v === undefined) continue;
      const wins =
        best === undefined || (better(primary) === 'lower' ? v < best.median : v > best.median);
      if (wins) {
        best = { label: r.label, description: r.description, metric: primary.key, median: v };
      }
    }
  }
  const bestSetting = references.find((r) => r.label === best?.label);
  const versusBest: VersusBest[] = [];
  if (bestSetting) {
    for (const o of ours) {
      for (const m of w.metrics) {
        const value = o.metrics[m.key]?.median;
        const b = bestSetting.metrics[m.key]?.median;
        const ratio = value !== undefined && b !== undefined && b !== 0 ? value / b : undefined;
        versusBest.push({
          ours: o.label,
          metric: m.key,
          label: m.label,
          digits: m.digits,
          ...(value !== undefined ? { value } : {}),
          ...(b !== undefined ? { best: b } : {}),
          ...(ratio !== undefined ? { ratio } : {}),
        });
      }
    }
  }

  const versusOneThread: VersusOneThread[] = [];
  const one = ours.find((o) => o.threads === 1);
  const wall = w.metrics.find((m) => m.role === 'wall');
  const cpu = w.metrics.find((m) => m.role === 'cpu');
  if (one && (wall || cpu)) {
    for (const o of ours.filter((x) => x !== one)) {
      // Lower-is-better metrics are times (speed-up = t1 / tN); higher-is-better are rates.
      const speedup = (m: MetricSpec | undefined): number | undefined => {
        const a = m && one.metrics[m.key]?.median;
        const b = m && o.metrics[m.key]?.median;
        if (m === undefined || a === undefined || b === undefined || a === 0 || b === 0) {
          return undefined;
        }
        return better(m) === 'lower' ? a / b : b / a;
      };
      const wallSpeedup = speedup(wall);
      const cpuSpeedup = speedup(cpu);
      versusOneThread.push({
        ours: o.label,
        ...(wallSpeedup !== undefined ? { wallSpeedup } : {}),
        ...(cpuSpeedup !== undefined ? { cpuRatio: 1 / cpuSpeedup } : {}),
      });
    }
  }
  return {
    workload: w.spec.id,
    settings,
    ...(best ? { best } : {}),
    versusBest,
    versusOneThread,
  };
}

function cell(v: number | undefined, digits: number): string {
  return v === undefined ? '—' : v.toFixed(digits);
}

function range(s: Stat | undefined, digits: number): string {
  if (s?.min === undefined || s.max === undefined) return '—';
  return `${s.min.toFixed(digits)}–${s.max.toFixed(digits)}`;
}

/** The markdown of one workload: a row group per setting, then the two comparisons. */
export function markdownSummary(summary: WorkloadSummary, metrics: readonly MetricSpec[]): string {
  const rows: { key: string; label: string; digits: number }[] = [
    ...metrics,
    { key: PEAK_RSS, label: 'peak RSS of the child (MB)', digits: 0 },
  ];
  const out = [
    '| Setting | Metric | Median | Min–max | Runs |',
    '| --- | --- | ---: | ---: | ---: |',
  ];
  for (const s of summary.settings) {
    const runs = `${s.runs}${s.failed > 0 ? ` (+${s.failed} failed)` : ''}`;
    rows.forEach((m, i) => {
      const st = s.metrics[m.key];
      const head = i === 0 ? `**${s.description}** (\`${s.label}\`)` : '';
      out.push(
        `| ${head} | ${m.label} | ${cell(st?.median, m.digits)} | ${range(st, m.digits)} | ${i === 0 ? runs : ''} |`,
      );
    });
  }
  const text = [out.join('\n')];

  const { best } = summary;
  if (best) {
    const metric = metrics.find((m) => m.key === best.metric);
    const lines = [
      `PyTorch's best, its fastest setting by ${metric?.label ?? best.metric}: **${best.description}** (\`${best.label}\`), ${cell(best.median, metric?.digits ?? 2)}.`,
    ];
    if (summary.versusBest.length > 0) {
      lines.push(
        '',
        `| Ours | Metric | Ours | PyTorch's best (\`${best.label}\`) | Ours / PyTorch's best |`,
        '| --- | --- | ---: | ---: | ---: |',
      );
      for (const v of summary.versusBest) {
        const desc = summary.settings.find((s) => s.label === v.ours)?.description ?? v.ours;
        lines.push(
          `| ${desc} | ${v.label} | ${cell(v.value, v.digits)} | ${cell(v.best, v.digits)} | ${cell(v.ratio, 2)} |`,
        );
      }
    }
    text.push(lines.join('\n'));
  }

  if (summary.versusOneThread.length > 0) {
    const lines = [
      "Ours against ours at 1 thread (issue #16's targets for W2 and W5: wall speed-up ≥ 1.6 on 2 cores, CPU seconds ≤ 1.15× the 1-thread run's):",
      '',
      '| Ours | Wall speed-up over 1 thread | CPU seconds / 1 thread’s |',
      '| --- | ---: | ---: |',
    ];
    for (const v of summary.versusOneThread) {
      const desc = summary.settings.find((s) => s.label === v.ours)?.description ?? v.ours;
      lines.push(`| ${desc} | ${cell(v.wallSpeedup, 2)} | ${cell(v.cpuRatio, 2)} |`);
    }
    text.push(lines.join('\n'));
  }
  return text.join('\n\n') + '\n';
}

/**
 * The settings of a latest.json entry written before the harness had settings (`ours`,
 * `reference` and `torchThreads`): ours on the default pool and the debian build.
 */
export function legacySettings(entry: {
  readonly ours?: readonly ChildResult[];
  readonly reference?: readonly ChildResult[];
  readonly torchThreads?: number;
}): SettingRuns[] {
  const threads = entry.torchThreads ?? 1;
  const out: SettingRuns[] = [];
  if (entry.ours && entry.ours.length > 0) {
    out.push({ setting: { side: 'ours', label: 'ours:default' }, runs: entry.ours });
  }
  if (entry.reference && entry.reference.length > 0) {
    out.push({
      setting: { side: 'reference', label: `debian:${threads}`, build: 'debian', threads },
      runs: entry.reference,
    });
  }
  return out;
}
