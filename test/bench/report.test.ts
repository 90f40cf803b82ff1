import { describe, expect, it } from 'vitest';
import type { ChildResult } from '../../bench/harness/child-run.js';
import {
  legacySettings,
  markdownSummary,
  stat,
  summarise,
  type SettingRuns,
} from '../../bench/harness/report.js';
import type { Setting } from '../../bench/harness/settings.js';
import type { MetricSpec } from '../../bench/harness/workloads.js';

const METRICS: readonly MetricSpec[] = [
  { key: 'secondsPerEpoch', label: 'seconds per epoch (wall)', digits: 2, role: 'wall' },
  { key: 'cpuSecondsPerEpoch', label: 'CPU seconds per epoch', digits: 2, role: 'cpu' },
  { key: 'testNegElbo', label: 'test −ELBO', digits: 1 },
];

function run(
  wall: number,
  cpu: number,
  loss: number,
  extra: Partial<ChildResult> = {},
  info: Record<string, unknown> = {},
): ChildResult {
  return {
    ok: true,
    exitCode: 0,
    metrics: { secondsPerEpoch: wall, cpuSecondsPerEpoch: cpu, testNegElbo: loss },
    info,
    wallSeconds: wall + 1,
    maxRssMb: 100,
    stderrTail: '',
    ...extra,
  };
}

const ours = (threads: number): Setting => ({ side: 'ours', label: `ours:${threads}`, threads });
const ref = (build: 'debian' | 'wheel', threads: number): Setting => ({
  side: 'reference',
  label: `${build}:${threads}`,
  build,
  threads,
});
const torch = (v: string) => ({ torchVersion: v });

const SETTINGS: SettingRuns[] = [
  { setting: ours(1), runs: [run(16, 17, 199), run(17, 17.6, 199), run(15, 16, 199)] },
  {
    setting: ours(2),
    runs: [run(10, 19, 199), run(9, 18, 199), run(0, 0, 0, { ok: false, exitCode: 1 })],
  },
  { setting: ref('debian', 1), runs: [run(16.5, 16.5, 203, {}, torch('1.13.0a0'))] },
  {
    setting: ref('wheel', 2),
    runs: [run(12, 24, 203, {}, torch('2.13.0+cpu')), run(14, 27, 203, {}, torch('2.13.0+cpu'))],
  },
];

describe('stat', () => {
  it('gives median, min, max and count of the finite values', () => {
    expect(stat([3, undefined, 1, NaN, 2])).toEqual({ median: 2, min: 1, max: 3, n: 3 });
    expect(stat([4, 1])).toEqual({ median: 2.5, min: 1, max: 4, n: 2 });
    expect(stat([])).toEqual({ n: 0 });
  });
});

describe('summarise', () => {
  const s = summarise({ spec: { id: 'W5' }, metrics: METRICS, settings: SETTINGS });

  it('has a summary per setting over its successful runs', () => {
    expect(s.settings.map((x) => x.label)).toEqual(['ours:1', 'ours:2', 'debian:1', 'wheel:2']);
    const two = s.settings[1];
    expect(two?.runs).toBe(2);
    expect(two?.failed).toBe(1);
    expect(two?.metrics.secondsPerEpoch).toEqual({ median: 9.5, min: 9, max: 10, n: 2 });
    expect(s.settings[0]?.metrics.peakRssMb?.median).toBe(100);
  });

  it("states the reference's torch version", () => {
    expect(s.settings[2]?.torchVersions).toEqual(['1.13.0a0']);
    expect(s.settings[3]?.description).toBe('PyTorch 2.13.0+cpu (wheel), 2 threads');
    expect(s.settings[1]?.description).toBe('mmae, 2 threads');
  });

  it("picks PyTorch's fastest setting by wall time and divides ours by it", () => {
    expect(s.best).toEqual({
      label: 'wheel:2',
      description: 'PyTorch 2.13.0+cpu (wheel), 2 threads',
      metric: 'secondsPerEpoch',
      median: 13,
    });
    const wall2 = s.versusBest.find((v) => v.ours === 'ours:2' && v.metric === 'secondsPerEpoch');
    expect(wall2?.ratio).toBeCloseTo(9.5 / 13, 12);
    const cpu1 = s.versusBest.find((v) => v.ours === 'ours:1' && v.metric === 'cpuSecondsPerEpoch');
    expect(cpu1?.ratio).toBeCloseTo(17 / 25.5, 12);
    expect(s.versusBest).toHaveLength(2 * METRICS.length);
  });

  it('gives ours at N threads against ours at 1 thread', () => {
    expect(s.versusOneThread).toHaveLength(1);
    const v = s.versusOneThread[0];
    expect(v?.ours).toBe('ours:2');
    expect(v?.wallSpeedup).toBeCloseTo(16 / 9.5, 12);
    expect(v?.cpuRatio).toBeCloseTo(18.5 / 17, 12);
  });

  it('reads higher-is-better rates the other way round', () => {
    const rates: MetricSpec[] = [
      { key: 'secondsPerEpoch', label: 'samples/s', digits: 0, better: 'higher', role: 'wall' },
      {
        key: 'cpuSecondsPerEpoch',
        label: 'samples/CPU s',
        digits: 0,
        better: 'higher',
        role: 'cpu',
      },
    ];
    const r = summarise({
      spec: { id: 'W3' },
      metrics: rates,
      settings: [
        { setting: ours(1), runs: [run(100, 100, 0)] },
        { setting: ours(2), runs: [run(150, 80, 0)] },
        { setting: ref('debian', 1), runs: [run(120, 120, 0)] },
        { setting: ref('debian', 2), runs: [run(140, 70, 0)] },
      ],
    });
    expect(r.best?.label).toBe('debian:2');
    expect(r.versusOneThread[0]?.wallSpeedup).toBeCloseTo(1.5, 12);
    expect(r.versusOneThread[0]?.cpuRatio).toBeCloseTo(100 / 80, 12);
  });

  it('has no comparisons without a reference or a 1-thread run', () => {
    const r = summarise({
      spec: { id: 'W5' },
      metrics: METRICS,
      settings: [{ setting: { side: 'ours', label: 'ours:default' }, runs: [run(1, 1, 1)] }],
    });
    expect(r.best).toBeUndefined();
    expect(r.versusBest).toEqual([]);
    expect(r.versusOneThread).toEqual([]);
    expect(r.settings[0]?.description).toBe('mmae, default pool');
  });

  it('skips a reference setting whose runs all failed', () => {
    const r = summarise({
      spec: { id: 'W5' },
      metrics: METRICS,
      settings: [
        { setting: ours(1), runs: [run(10, 10, 1)] },
        { setting: ref('wheel', 1), runs: [run(1, 1, 1, { ok: false })] },
        { setting: ref('debian', 1), runs: [run(12, 12, 1)] },
      ],
    });
    expect(r.best?.label).toBe('debian:1');
  });
});

describe('markdownSummary', () => {
  const md = markdownSummary(
    summarise({ spec: { id: 'W5' }, metrics: METRICS, settings: SETTINGS }),
    METRICS,
  );

  it('has a row group per setting with median and min–max', () => {
    expect(md).toContain(
      '| **mmae, 2 threads** (`ours:2`) | seconds per epoch (wall) | 9.50 | 9.00–10.00 | 2 (+1 failed) |',
    );
    expect(md).toContain('|  | CPU seconds per epoch | 17.00 | 16.00–17.60 |  |');
    expect(md).toContain('**PyTorch 1.13.0a0 (debian), 1 thread** (`debian:1`)');
  });

  it("names PyTorch's best and gives the ratios and the thread speed-up", () => {
    expect(md).toContain('**PyTorch 2.13.0+cpu (wheel), 2 threads** (`wheel:2`), 13.00.');
    expect(md).toContain('| mmae, 2 threads | seconds per epoch (wall) | 9.50 | 13.00 | 0.73 |');
    expect(md).toContain('| mmae, 2 threads | 1.68 | 1.09 |');
  });
});

describe('legacySettings', () => {
  it('reads an entry written before settings as ours:default and debian:N', () => {
    const a = run(1, 1, 1);
    const b = run(2, 2, 2);
    expect(legacySettings({ ours: [a], reference: [b], torchThreads: 2 })).toEqual([
      { setting: { side: 'ours', label: 'ours:default' }, runs: [a] },
      {
        setting: { side: 'reference', label: 'debian:2', build: 'debian', threads: 2 },
        runs: [b],
      },
    ]);
    expect(legacySettings({ ours: [a], reference: [] })).toHaveLength(1);
  });
});
