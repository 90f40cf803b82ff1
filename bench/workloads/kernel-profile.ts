/**
 * Where a training workload's step goes: one epoch of W2's, W5's or W6's model (the benchmark's own
 * config, on the first --images training images, validation off so the epoch is steps only) with
 * a timer around every outermost kernel tfjs's engine runs. The step splits into time in kernels
 * (by kernel and by group) and time outside them (tape, tensor bookkeeping, JS). Convolution
 * kernels also get their FLOPs, counted per call from the shapes (2 · output-or-dy elements ·
 * kh · kw · input channels: one multiply-add per filter tap), hence GFLOP/s. A first run warms up
 * (wasm compile, V8 tiers); then two timed runs, on --base and on --images images, and the report
 * is their difference per step, so what a run does once (building the model, its shape checks,
 * the checkpoint) drops out and only training steps remain. The timer costs ~1 µs per kernel.
 * Prints one JSON line.
 *
 *   tsx bench/workloads/kernel-profile.ts [--workload W2|W5|W6] [--images 1280] [--base 256] [--top 25]
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { nativeKernels } from '../../src/engine/index.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { w2Config } from './w2-poe-vae.js';
import { w5Config } from './w5-conv-vae.js';
import { w6Config } from './w6-conv-vae-rgb.js';
import { ensureShapes } from './w6-shapes.js';

type Shape = readonly number[];
interface TensorLike {
  readonly shape: Shape;
}
interface Totals {
  calls: number;
  ms: number;
  flops: number;
}

const snapshot = (m: Map<string, Totals>) => new Map([...m].map(([k, t]) => [k, { ...t }]));

/**
 * The long run's own figures less the base run's: the totals are cumulative, so the long run's
 * are `after − before` and the difference is `after − 2 · before`.
 */
function difference(after: Map<string, Totals>, before: Map<string, Totals>): [string, Totals][] {
  return [...after]
    .map(([name, t]): [string, Totals] => {
      const b = before.get(name) ?? { calls: 0, ms: 0, flops: 0 };
      return [
        name,
        { calls: t.calls - 2 * b.calls, ms: t.ms - 2 * b.ms, flops: t.flops - 2 * b.flops },
      ];
    })
    .filter(([, t]) => t.calls > 0)
    .sort((a, b) => b[1].ms - a[1].ms);
}

type RunKernel = (name: string, inputs: Record<string, TensorLike>, attrs?: unknown) => unknown;

type RawConfig = { dataset: { options: Record<string, unknown> }; training: { batchSize: number } };

/**
 * Each workload's config on its first `images` training images with nothing but steps in the
 * epoch: W2 and W5 read MNIST, whose validation split is turned off and whose train set is cut by
 * `trainLimit`; W6 reads generated shapes through a manifest that holds exactly `images` train
 * rows and a fixed 64-image test split (no validation split to evaluate).
 */
const CONFIGS: Record<string, (images: number) => Promise<RawConfig>> = {
  W2: async (images) => mnistSteps(w2Config(1, images, 42, 'wasm'), images),
  W5: async (images) => mnistSteps(w5Config(1, images, 42, 'wasm'), images),
  W6: async (images) => {
    const dir = await ensureShapes(42, images, 64);
    return w6Config(1, 42, 'wasm', join(dir, 'manifest.csv')) as RawConfig;
  },
};

function mnistSteps(config: unknown, images: number): RawConfig {
  const raw = config as RawConfig;
  raw.dataset.options = { ...raw.dataset.options, validationSize: 0, trainLimit: images };
  return raw;
}

/** The groups of the issue's table, first match wins; anything else is 'rest'. */
const GROUPS: readonly [string, RegExp][] = [
  ['conv forward', /^(Fused|Mmae)?Conv2D$/],
  // mmae's conv layer op: one call for the filter and bias gradients, one for the input's
  ['conv layer gradients (MmaeConv2DGrad: filter and bias, input)', /^MmaeConv2DGrad$/],
  ['conv input gradient', /^Conv2DBackpropInput$/],
  ['conv filter gradient', /^Conv2DBackpropFilter$/],
  ['resize (upsampling) and its gradient', /^Resize/],
  ['dense (matrix products, native dense gradients)', /MatMul|Dense/i],
  ['Adam', /Adam/i],
  [
    'losses (Bernoulli NLL and its gradient, KL: exp, square)',
    /^(MmaeBernoulliNll|MmaeBernoulliNllGrad|Softplus|Exp|Log|Log1p|Abs|Sigmoid|Neg|Square)$/,
  ],
  ['bias gradient and reductions (Sum, Mean)', /^(Sum|Mean|Max|Min)$/],
];

const size = (shape: Shape) => shape.reduce((a, b) => a * b, 1);

/** 2 · (output or dy elements) · kh · kw · input channels, or 0 for a kernel that is no conv. */
function convFlops(name: string, inputs: Record<string, TensorLike>, attrs: unknown): number {
  const taps = (filter: Shape) => (filter[0] ?? 0) * (filter[1] ?? 0) * (filter[2] ?? 0);
  if (name === 'Conv2DBackpropInput')
    return 2 * size(inputs.dy!.shape) * taps(inputs.filter!.shape);
  if (name === 'MmaeConv2DGrad') return 2 * size(inputs.dy!.shape) * taps(inputs.filter!.shape);
  if (name === 'Conv2DBackpropFilter') {
    return 2 * size(inputs.dy!.shape) * taps((attrs as { filterShape: Shape }).filterShape);
  }
  return 0; // Conv2D and FusedConv2D: counted from the output, in the wrapper
}

/** Times every outermost kernel while on; totals by kernel name. */
function timeKernels() {
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const original = engine.runKernel.bind(engine);
  const totals = new Map<string, Totals>();
  // Convolutions once more, keyed by kernel and shapes: which layer's kernel is slow.
  const convs = new Map<string, Totals>();
  let depth = 0;
  let on = false;
  engine.runKernel = (name, inputs, attrs) => {
    if (!on || depth > 0) return original(name, inputs, attrs);
    const start = performance.now();
    depth++;
    let result: unknown;
    try {
      result = original(name, inputs, attrs);
      return result;
    } finally {
      depth--;
      const ms = performance.now() - start;
      let flops = convFlops(name, inputs, attrs);
      if ((name === 'Conv2D' || name === 'FusedConv2D' || name === 'MmaeConv2D') && result) {
        flops = 2 * size((result as TensorLike).shape) * size(inputs.filter!.shape.slice(0, 3));
      }
      const entry = totals.get(name) ?? { calls: 0, ms: 0, flops: 0 };
      entry.calls++;
      entry.ms += ms;
      entry.flops += flops;
      totals.set(name, entry);
      if (flops > 0) {
        const shapes = Object.entries(inputs)
          .filter(([, t]) => t?.shape)
          .map(([k, t]) => `${k} ${t.shape.join('×')}`);
        const part = (attrs as { parts?: string } | undefined)?.parts;
        const key = `${name}${part ? ` (${part})` : ''}: ${shapes.join(', ')}`;
        const c = convs.get(key) ?? { calls: 0, ms: 0, flops: 0 };
        c.calls++;
        c.ms += ms;
        c.flops += flops;
        convs.set(key, c);
      }
    }
  };
  return { totals, convs, start: () => (on = true), stop: () => (on = false) };
}

/**
 * Cumulative CPU counters: the process's, the JS thread's, and the native pool's (with
 * MMAE_POOL_STATS=1; thread-pool.h): parts on the JS thread, all parts, the busiest thread's.
 */
function cpuCounters(): number[] {
  const native = nativeKernels();
  const usage = process.cpuUsage();
  return [
    (usage.user + usage.system) / 1e6,
    native?.threadCpuSeconds() ?? 0,
    ...(native?.poolStats() ?? [0, 0, 0, 0]),
  ];
}

/**
 * Per step, the long run's counters less the base run's. On two free cores a step takes about
 * the JS thread's CPU time outside the pool's parallel calls plus each call's busiest thread: the
 * estimate below, which holds when other processes share the cores (wall times do not).
 */
function cpuPerStep(c0: number[], c1: number[], c2: number[], steps: number) {
  const d = c2.map((v, i) => (v - c1[i]! - (c1[i]! - c0[i]!)) * (i === 2 ? 1 : 1000 / steps));
  const [processCpu, jsThreadCpu, calls, callerParts, parts, criticalPath] = d as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const round = (x: number) => Number(x.toFixed(2));
  return {
    processCpuMsPerStep: round(processCpu),
    jsThreadCpuMsPerStep: round(jsThreadCpu),
    pool: {
      parallelCallsPerStep: round(calls / steps),
      partsCpuMsPerStep: round(parts),
      jsThreadPartsCpuMsPerStep: round(callerParts),
      criticalPathMsPerStep: round(criticalPath),
    },
    freeCoresMsPerStepEstimate: round(jsThreadCpu - callerParts + criticalPath),
  };
}

/** The workload's config on `images` training images, with no validation split to evaluate. */
async function profileConfig(workload: string, images: number) {
  const make = CONFIGS[workload];
  if (!make) throw new Error(`--workload: '${workload}' is not one of ${Object.keys(CONFIGS)}`);
  const raw = await make(images);
  return { config: parseConfig(raw, `bench ${workload} profile config`), batch: raw.training.batchSize };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const workload = (args.get('workload') ?? 'W5').toUpperCase();
  const images = intArg(args, 'images', 1280);
  const base = intArg(args, 'base', 256);
  const { batch } = await profileConfig(workload, base);
  if (base % batch !== 0 || images <= base) {
    throw new Error(`--base must be a multiple of ${workload}'s batch (${batch}) and below --images`);
  }
  const top = intArg(args, 'top', 25);
  const out = await mkdtemp(join(tmpdir(), 'mmae-bench-kernel-profile-'));
  const timer = timeKernels();
  try {
    const configs = new Map([
      [base, (await profileConfig(workload, base)).config],
      [images, (await profileConfig(workload, images)).config],
    ]);
    const run = (name: string, n: number) =>
      trainJob({
        config: { config: configs.get(n)!, baseDir: process.cwd() },
        out: join(out, name),
        quiet: true,
        log: () => {},
      });
    await run('warm-up', base);
    timer.start();
    const c0 = cpuCounters();
    const short = await run('base', base);
    const c1 = cpuCounters();
    const before = snapshot(timer.totals);
    const beforeConvs = snapshot(timer.convs);
    const long = await run('measured', images);
    const c2 = cpuCounters();
    timer.stop();
    const steps = Math.ceil(images / batch) - base / batch;
    const epochMs = (long.result.history[0]!.seconds - short.result.history[0]!.seconds) * 1000;
    const rows = difference(timer.totals, before);
    const kernelMs = rows.reduce((sum, [, t]) => sum + t.ms, 0);
    const round = (x: number, digits = 2) => Number(x.toFixed(digits));
    const groups = new Map<
      string,
      { ms: number; calls: number; flops: number; kernels: string[] }
    >();
    for (const [name, t] of rows) {
      const group =
        GROUPS.find(([, re]) => re.test(name))?.[0] ?? 'rest (elementwise, reshapes, casts, …)';
      const g = groups.get(group) ?? { ms: 0, calls: 0, flops: 0, kernels: [] };
      g.ms += t.ms;
      g.calls += t.calls;
      g.flops += t.flops;
      g.kernels.push(name);
      groups.set(group, g);
    }
    const line = {
      workload: `${workload}-profile`,
      images,
      baseImages: base,
      steps,
      epochSeconds: epochMs / 1000,
      msPerStep: round(epochMs / steps),
      kernelsPerStep: round(rows.reduce((s, [, t]) => s + t.calls, 0) / steps, 1),
      // Kernel time includes the engine's own work inside runKernel (tensor records, tape).
      kernelMsPerStep: round(kernelMs / steps),
      outsideKernelsMsPerStep: round((epochMs - kernelMs) / steps),
      ...cpuPerStep(c0, c1, c2, steps),
      groups: [...groups].map(([group, g]) => ({
        group,
        msPerStep: round(g.ms / steps),
        share: round(g.ms / epochMs, 3),
        callsPerStep: round(g.calls / steps, 1),
        ...(g.flops > 0
          ? { gflopPerStep: round(g.flops / steps / 1e9, 3), gflops: round(g.flops / g.ms / 1e6) }
          : {}),
        kernels: g.kernels,
      })),
      convolutions: difference(timer.convs, beforeConvs).map(([call, t]) => ({
        call,
        perStep: round(t.calls / steps, 1),
        msPerStep: round(t.ms / steps),
        gflopPerStep: round(t.flops / steps / 1e9, 3),
        gflops: round(t.flops / t.ms / 1e6),
      })),
      top: rows.slice(0, top).map(([name, t]) => ({
        name,
        perStep: round(t.calls / steps, 1),
        msPerStep: round(t.ms / steps, 3),
        usPerCall: round((t.ms / t.calls) * 1000, 1),
        ...(t.flops > 0 ? { gflops: round(t.flops / t.ms / 1e6) } : {}),
      })),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
