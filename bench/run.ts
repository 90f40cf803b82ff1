/**
 * The benchmark harness: `npm run bench -- [--workloads W1,W4] [--reps 3] [--epochs 1] [--quick]
 * [--limit N] [--torch-blas openblas|system] [--torch-threads 1] [--w1-variant nativedense]
 * [--backend tensorflow|wasm|cpu]`. With --backend other than wasm, results are kept under
 * `W1@tensorflow` and the like, beside the wasm rows.
 * For each workload it runs our side (tsx) and, when `/usr/bin/python3 -c "import torch"` works,
 * the PyTorch reference, alternating, `reps` times; then writes bench/results/latest.json and
 * bench/results/latest.md with medians, ours/PyTorch ratios and the children's peak RSS.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChild, torchAvailable, type ChildResult } from './harness/child-run.js';
import { markdownTable, summarise, type SummaryRow, type WorkloadRuns } from './harness/report.js';
import { WORKLOADS, type RunOptions } from './harness/workloads.js';
import { intArg, parseArgs } from './workloads/cli-args.js';
import { W1_VARIANTS } from './workloads/w1-variants.js';

const PYTHON = '/usr/bin/python3';
/** Debian's libopenblas0-pthread; its libblas.so.3 replaces the slow reference BLAS for torch. */
const OPENBLAS_DIR = '/usr/lib/x86_64-linux-gnu/openblas-pthread';

/**
 * The reference's environment. Debian's torch does its matMuls through the generic libblas.so.3,
 * which is netlib's reference BLAS unless OpenBLAS is selected: ~23× slower on W3 (BENCHMARKS.md).
 * `--torch-blas openblas` (default when installed) points the loader at OpenBLAS for the
 * reference children only; threads default to 1, like our single-threaded wasm backend.
 */
function referenceEnv(blas: string, threads: number): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMP_NUM_THREADS: String(threads),
    OPENBLAS_NUM_THREADS: String(threads),
  };
  if (blas === 'openblas') {
    if (!existsSync(OPENBLAS_DIR)) {
      throw new Error(
        `--torch-blas openblas: ${OPENBLAS_DIR} is missing; apt-get install -y libopenblas0-pthread`,
      );
    }
    env.LD_LIBRARY_PATH = [OPENBLAS_DIR, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  return env;
}
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
  const withTorch = await torchAvailable(PYTHON);
  const torchBlas = args.get('torch-blas') ?? (existsSync(OPENBLAS_DIR) ? 'openblas' : 'system');
  if (!['openblas', 'system'].includes(torchBlas)) {
    throw new Error(`--torch-blas: '${torchBlas}' is not openblas or system`);
  }
  const torchThreads = intArg(args, 'torch-threads', 1);
  const refEnv = referenceEnv(torchBlas, torchThreads);
  if (!withTorch)
    log(
      `${PYTHON} cannot import torch: PyTorch references skipped (apt-get install python3-torch).`,
    );

  const results: WorkloadRuns[] = [];
  for (const spec of WORKLOADS.filter((w) => wanted.includes(w.id))) {
    const runs: WorkloadRuns = { spec, metrics: spec.metrics(options), ours: [], reference: [] };
    const n = Math.min(reps, spec.maxReps ?? reps);
    for (let rep = 0; rep < n; rep++) {
      // Alternate which side goes first so drift in machine load hits both alike.
      const sides =
        rep % 2 === 0 ? (['ours', 'reference'] as const) : (['reference', 'ours'] as const);
      for (const side of sides) {
        if (side === 'ours' && spec.ours) {
          log(`${spec.id} rep ${rep + 1}/${n}: ours`);
          const r = await runChild(
            process.execPath,
            ['--import', 'tsx', ...spec.ours(options)],
            REPO,
          );
          log(describe('  ours', r));
          runs.ours.push(r);
        } else if (side === 'reference' && spec.reference && withTorch) {
          log(`${spec.id} rep ${rep + 1}/${n}: PyTorch`);
          const r = await runChild(
            PYTHON,
            [...spec.reference(options), '--threads', String(torchThreads)],
            REPO,
            refEnv,
          );
          log(describe('  PyTorch', r));
          runs.reference.push(r);
        }
      }
    }
    results.push(runs);
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
      torch: withTorch,
      torchBlas,
      torchThreads,
      rows: summarise(r),
      ours: r.ours,
      reference: r.reference,
    };
  }
  const ordered = WORKLOADS.flatMap((w) =>
    Object.keys(workloads).filter((key) => key === w.id || key.startsWith(`${w.id}@`)),
  );
  const report = { updated: date, machine, workloads };
  await writeFile(join(outDir, 'latest.json'), JSON.stringify(report, null, 2) + '\n');
  const sections = ordered.map((id) => {
    const w = workloads[id] as WorkloadReport;
    const how = `${w.date}, reps ${w.reps}, epochs ${w.options.epochs}${w.options.backend ? `, ours on ${w.options.backend}` : ''}${w.options.w1Variant && id.startsWith('W1') ? `, variant ${w.options.w1Variant}` : ''}${w.options.quick ? ', quick' : ''}${w.options.limit ? `, limit ${w.options.limit}` : ''}${w.torch && w.reference.length > 0 ? `, PyTorch on ${w.torchBlas ?? 'system'} BLAS with ${w.torchThreads ?? 'default'} thread(s)` : ''}`;
    return `${markdownTable(w.rows)}\n(${id}: ${how})\n`;
  });
  const md = `# Benchmark results\n\n${machine.cpus} × ${machine.cpuModel}, ${machine.memoryGb} GB, Node ${machine.node}.\n\n${sections.join('\n')}`;
  await writeFile(join(outDir, 'latest.md'), md);
  process.stdout.write(md);
}

interface WorkloadReport {
  readonly date: string;
  readonly options: RunOptions;
  readonly reps: number;
  readonly torch: boolean;
  readonly torchBlas?: string;
  readonly torchThreads?: number;
  readonly rows: SummaryRow[];
  readonly ours: ChildResult[];
  readonly reference: ChildResult[];
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
