/**
 * A first profile of W1 ours: milliseconds per training step against the sum of kernel times
 * that tf.profile reports for one step, so the gap (op dispatch, autograd bookkeeping, tensor
 * allocation in JS) can be read per op. Prints one JSON line.
 *
 *   tsx bench/workloads/w1-profile.ts [--backend wasm] [--steps 100] [--wall-clock]
 *     [--variants baseline,levers,all,allflat,kernelpatch,leverspatch,fusedadam,nativedense]
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { readMnistImages } from './mnist-idx.js';
import { makeProfileStep } from './w1-plain-tfjs-trainer.js';
import { W1_VARIANTS } from './w1-variants.js';
import type { W1Levers } from './w1-types.js';

interface ProfileRow {
  variant: string;
  wallMsPerStep: number;
  cpuMsPerStep: number;
  kernelsPerStep: number;
  kernelMsPerStep: number;
  overheadMsPerStep: number;
  overheadUsPerKernel: number;
  /** BatchMatMul + _FusedMatMul CPU per step. */
  matMulMsPerStep: number;
  /** Everything else: elementwise ops, Adam's per-variable updates, reshapes. */
  otherKernelsPerStep: number;
  otherKernelsMsPerStep: number;
  usPerOtherKernel: number;
  topKernels: { name: string; count: number; ms: number }[];
}

async function profileVariant(variant: string, x: tf.Tensor2D, steps: number): Promise<ProfileRow> {
  const { step, dispose } = makeProfileStep(42, W1_VARIANTS[variant] as W1Levers);
  for (let i = 0; i < 20; i++) step(x);
  const start = performance.now();
  const cpu = process.cpuUsage();
  for (let i = 0; i < steps; i++) step(x);
  const wallMsPerStep = (performance.now() - start) / steps;
  const used = process.cpuUsage(cpu);
  const cpuMsPerStep = (used.user + used.system) / 1000 / steps;

  // Median over a few profiled steps: kernel times on a shared machine are noisy.
  const byName = new Map<string, { count: number; ms: number }>();
  const totals: number[] = [];
  let kernelsPerStep = 0;
  const profiled = 5;
  for (let p = 0; p < profiled; p++) {
    const info = await tf.profile(() => step(x));
    let total = 0;
    kernelsPerStep = info.kernels.filter(
      (k) => k.name !== 'forward' && !k.name.endsWith('__op'),
    ).length;
    // customGrad and op wrappers ('forward', 'fusedMatMul__op') contain the kernels they run.
    const leaves = info.kernels.filter((k) => k.name !== 'forward' && !k.name.endsWith('__op'));
    for (const k of leaves) {
      const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
      total += ms;
      const entry = byName.get(k.name) ?? { count: 0, ms: 0 };
      entry.count += 1 / profiled;
      entry.ms += ms / profiled;
      byName.set(k.name, entry);
    }
    totals.push(total);
  }
  dispose();
  totals.sort((a, b) => a - b);
  const kernelMsPerStep = totals[profiled >> 1] as number;
  const overheadMsPerStep = cpuMsPerStep - kernelMsPerStep;
  const isMatMul = (name: string): boolean => name === 'BatchMatMul' || name === '_FusedMatMul';
  let matMulMsPerStep = 0;
  let otherKernels = 0;
  let otherMs = 0;
  for (const [name, v] of byName) {
    if (isMatMul(name)) matMulMsPerStep += v.ms;
    else {
      otherKernels += v.count;
      otherMs += v.ms;
    }
  }
  const topKernels = [...byName.entries()]
    .map(([name, v]) => ({ name, count: Math.round(v.count), ms: v.ms }))
    .sort((a, b) => b.ms - a.ms)
    .slice(0, 12);
  return {
    variant,
    wallMsPerStep,
    cpuMsPerStep,
    kernelsPerStep,
    kernelMsPerStep,
    overheadMsPerStep,
    overheadUsPerKernel: (overheadMsPerStep * 1000) / kernelsPerStep,
    matMulMsPerStep,
    otherKernelsPerStep: Math.round(otherKernels),
    otherKernelsMsPerStep: otherMs,
    usPerOtherKernel: (otherMs * 1000) / otherKernels,
    topKernels,
  };
}

/**
 * tf.profile times kernels with the backend's wall clock, which on a shared 2-core machine counts
 * time spent descheduled. Kernels on wasm run synchronously on this thread, so the process CPU
 * time across one kernel is its own cost; swap the timer for that.
 */
function timeKernelsByCpu(): void {
  const backend = tf.backend() as unknown as { time: (f: () => void) => Promise<unknown> };
  backend.time = async (f: () => void) => {
    const start = process.cpuUsage();
    f();
    const used = process.cpuUsage(start);
    return { kernelMs: (used.user + used.system) / 1000 };
  };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  await tf.setBackend(args.get('backend') ?? 'wasm');
  await tf.ready();
  const steps = intArg(args, 'steps', 100);
  if (!args.has('wall-clock')) timeKernelsByCpu();
  const train = readMnistImages('train', 64);
  const x = tf.tensor2d(train.pixels, [64, train.size]);
  const rows: ProfileRow[] = [];
  // The patched variants last: they replace the wasm matMul kernels for the rest of the process.
  const variants = (
    args.get('variants') ??
    'baseline,levers,all,allflat,kernelpatch,leverspatch,fusedadam,nativedense'
  ).split(',');
  for (const v of variants) rows.push(await profileVariant(v, x, steps));
  x.dispose();
  console.log(JSON.stringify({ workload: 'W1-profile', backend: tf.getBackend(), rows }, null, 1));
}

if (isMain(import.meta.url)) await main();
