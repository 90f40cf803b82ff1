/**
 * The benchmark harness: `npm run bench -- [--workloads W1,W4] [--reps 3] [--epochs 1] [--quick]
 * [--limit N] [--threads 1,2] [--references debian:1,wheel:2] [--torch-blas openblas|system]
 * [--torch-threads 1] [--w1-variant nativedense] [--backend tensorflow|wasm|cpu]`. With --backend
 * other than wasm, results are kept under `W1@tensorflow` and the like, beside the wasm rows. For each workload it runs every setting of our
 * side (tsx; `--threads` sets MMAE_THREADS) and of the PyTorch references (`build:threads`;
 * `--torch-threads N` is `--references debian:N`; by default `debian:1` when /usr/bin/python3
 * imports torch), each once per repetition, the order rotated between repetitions; then writes
 * bench/results/latest.json and bench/results/latest.md with medians (min–max) per setting, ours
 * against PyTorch's fastest setting, ours at N threads against 1 and the children's peak RSS.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, torchAvailable, type ChildResult } from './harness/child-run.js';
import {
  legacySettings,
  markdownSummary,
  summarise,
  type SettingRuns,
  type WorkloadSummary,
} from './harness/report.js';
import {
  OPENBLAS_DIR,
  chooseReferences,
  missingBuildHint,
  oursEnv,
  parseOursThreads,
  referenceEnv,
  referencePython,
  runOrder,
  type ReferenceBuild,
  type ReferenceSetting,
  type Setting,
} from './harness/settings.js';
import { WORKLOADS, type RunOptions } from './harness/workloads.js';
import { intArg, parseArgs } from './workloads/cli-args.js';
import { W1_VARIANTS } from './workloads/w1-variants.js';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function log(message: string): void {
  process.stderr.write(`[bench] ${message}\n`);
}

function describe(side: string, r: ChildResult): string {
  if (!r.ok) return `${side} FAILED (exit ${r.exitCode}):\n${r.stderrTail}`;
  const m = Object.entries(r.metrics)
    .slice(0, 4)
    .map(([k, v]) => `${k}=${Number(v).toPrecision(4)}`)
    .join(' ');
  return `${side} ${m} wall=${r.wallSeconds.toFixed(1)}s rss=${r.maxRssMb?.toFixed(0) ?? '?'}MB`;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const wanted = (args.get('workloads') ?? 'W1,W4').split(',').map((s) => s.trim().toUpperCase());
  const reps = intArg(args, 'reps', 3);
  const options: RunOptions = {
    quick: args.has('quick'),
    epochs: intArg(args, 'epochs', 1),
    limit: intArg(args, 'limit', 0),
    ...(args.has('w1-variant') ? { w1Variant: args.get('w1-variant') as string } : {}),
    ...(args.has('backend') ? { backend: args.get('backend') as string } : {}),
  };
  if (options.backend !== undefined && !['tensorflow', 'wasm', 'cpu'].includes(options.backend)) {
    throw new Error(`--backend: '${options.backend}' is not tensorflow, wasm or cpu`);
  }
  // Our side on another backend is reported beside the wasm rows, not in their place.
  const suffix =
    options.backend === undefined || options.backend === 'wasm' ? '' : `@${options.backend}`;
  if (options.w1Variant !== undefined && !(options.w1Variant in W1_VARIANTS)) {
    throw new Error(
      `--w1-variant: '${options.w1Variant}' is not one of ${Object.keys(W1_VARIANTS).join(', ')}`,
    );
  }
  const unknown = wanted.filter((id) => !WORKLOADS.some((w) => w.id === id));
  if (unknown.length > 0) {
    throw new Error(
      `--workloads: unknown ${unknown.join(', ')}; known: ${WORKLOADS.map((w) => w.id).join(', ')}`,
    );
  }
  const specs = WORKLOADS.filter((w) => wanted.includes(w.id));
  const oursSettings = parseOursThreads(args.get('threads'), process.env.MMAE_THREADS);
  const choice = chooseReferences(args);
  const torchBlas = args.get('torch-blas') ?? (existsSync(OPENBLAS_DIR) ? 'openblas' : 'system');
  if (torchBlas !== 'openblas' && torchBlas !== 'system') {
    throw new Error(`--torch-blas: '${torchBlas}' is not openblas or system`);
  }
  const needsOpenblas = choice.settings.some((s) => s.build === 'debian');
  if (torchBlas === 'openblas' && needsOpenblas && !existsSync(OPENBLAS_DIR)) {
    throw new Error(
      `--torch-blas openblas: ${OPENBLAS_DIR} is missing; apt-get install -y libopenblas0-pthread`,
    );
  }

  // Each build must import torch; one asked for by name that cannot is an error.
  let referenceSettings: ReferenceSetting[] = [];
  if (specs.some((s) => s.reference)) {
    const usable = new Set<ReferenceBuild>();
    for (const setting of choice.settings) {
      if (usable.has(setting.build)) continue;
      const python = referencePython(setting.build, REPO);
      if (await torchAvailable(python, referenceEnv(setting, torchBlas, process.env))) {
        usable.add(setting.build);
      } else if (choice.explicit) {
        throw new Error(`reference build '${setting.build}': ${missingBuildHint(setting.build)}`);
      } else {
        log(`${missingBuildHint(setting.build)}: PyTorch references skipped.`);
      }
    }
    referenceSettings = choice.settings.filter((s) => usable.has(s.build));
  }

  const results: { spec: (typeof WORKLOADS)[number]; settings: SettingRuns[] }[] = [];
  for (const spec of specs) {
    const ours = spec.ours ? oursSettings : [];
    const references = spec.reference ? referenceSettings : [];
    const runs = new Map<string, ChildResult[]>();
    const n = Math.min(reps, spec.maxReps ?? reps);
    for (let rep = 0; rep < n; rep++) {
      // Every setting once per repetition; the order rotates so drift hits all alike.
      for (const setting of runOrder<Setting>(ours, references, rep)) {
        log(`${spec.id} rep ${rep + 1}/${n}: ${setting.label}`);
        const r = await runSetting(spec, setting, options, torchBlas);
        log(describe(`  ${setting.label}`, r));
        runs.set(setting.label, [...(runs.get(setting.label) ?? []), r]);
      }
    }
    results.push({
      spec,
      settings: [...ours, ...references].map((setting) => ({
        setting,
        runs: runs.get(setting.label) ?? [],
      })),
    });
  }

  const machine = {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model,
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
  };
  const outDir = join(REPO, 'bench', 'results');
  await mkdir(outDir, { recursive: true });
  // latest.json keeps the newest result of every workload, so `--workloads W2` leaves W1's alone.
  const previous = await readPrevious(join(outDir, 'latest.json'));
  const date = new Date().toISOString();
  const workloads: Record<string, WorkloadReport> = { ...previous };
  for (const r of results) {
    workloads[`${r.spec.id}${suffix}`] = {
      date,
      options,
      reps,
      torchBlas,
      summary: summarise({ spec: r.spec, metrics: r.spec.metrics(options), settings: r.settings }),
      settings: r.settings,
    };
  }
  const ordered = WORKLOADS.flatMap((spec) =>
    Object.keys(workloads)
      .filter((key) => key === spec.id || key.startsWith(`${spec.id}@`))
      .map((key) => ({ spec, key })),
  );
  const report = { updated: date, machine, workloads };
  await writeFile(join(outDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  const sections = ordered.map(({ spec, key }) => {
    const w = workloads[key] as WorkloadReport;
    const settings = w.settings ?? legacySettings(w);
    const metrics = spec.metrics(w.options);
    const summary = summarise({ spec, metrics, settings });
    const debian = settings.some(
      (s) => s.setting.side === 'reference' && s.setting.build === 'debian',
    );
    const how = [
      w.date,
      `reps ${w.reps}`,
      `epochs ${w.options.epochs}`,
      ...(w.options.backend ? [`ours on ${w.options.backend}`] : []),
      ...(w.options.w1Variant && spec.id === 'W1' ? [`variant ${w.options.w1Variant}`] : []),
      ...(w.options.quick ? ['quick'] : []),
      ...(w.options.limit ? [`limit ${w.options.limit}`] : []),
      ...(debian ? [`debian build on ${w.torchBlas ?? 'system'} BLAS`] : []),
    ].join(', ');
    return `## ${key}: ${spec.title}\n\n${markdownSummary(summary, metrics)}\n(${key}: ${how})\n`;
  });
  const md = `# Benchmark results\n\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}.\n\n${sections.join('\n')}`;
  await writeFile(join(outDir, 'latest.md'), md);
  process.stdout.write(md);
}

/** One child of one setting: ours under tsx with its MMAE_THREADS, or a reference's Python. */
async function runSetting(
  spec: (typeof WORKLOADS)[number],
  setting: Setting,
  options: RunOptions,
  torchBlas: 'openblas' | 'system',
): Promise<ChildResult> {
  if (setting.side === 'ours') {
    const args = spec.ours?.(options) ?? [];
    return runChild(
      process.execPath,
      ['--import', 'tsx', ...args],
      REPO,
      oursEnv(setting, process.env),
    );
  }
  const args = spec.reference?.(options) ?? [];
  return runChild(
    referencePython(setting.build, REPO),
    [...args, '--threads', String(setting.threads)],
    REPO,
    referenceEnv(setting, torchBlas, process.env),
  );
}

interface WorkloadReport {
  readonly date: string;
  readonly options: RunOptions;
  readonly reps: number;
  readonly torchBlas?: string;
  readonly summary?: WorkloadSummary;
  /** Absent in entries written before settings (they have `ours`, `reference`, `torchThreads`). */
  readonly settings?: SettingRuns[];
  readonly ours?: ChildResult[];
  readonly reference?: ChildResult[];
  readonly torchThreads?: number;
}

async function readPrevious(path: string): Promise<Record<string, WorkloadReport>> {
  try {
    const parsed = JSON.parse(await readFile(path, 'utf8')) as {
      workloads?: Record<string, WorkloadReport>;
    };
    return parsed.workloads ?? {};
  } catch {
    return {};
  }
}

await main();
