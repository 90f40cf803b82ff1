/**
 * Where W2's step goes: one epoch of W2's model (as w2-poe-vae.ts, on the first --images
 * training images) with a timer around every kernel tfjs's engine runs, so the step splits into
 * time in kernels (by kernel) and time outside them (tape, tensor bookkeeping, JS). A first run
 * warms up (wasm compile, V8 tiers); the second is reported. The timer costs ~1 µs per kernel.
 * Prints one JSON line.
 *
 *   tsx bench/workloads/w2-kernel-profile.ts [--images 6400] [--top 20]
 */
import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfig } from '../../src/config/load-config.js';
import { trainJob } from '../../src/experiment/train-job.js';
import { intArg, isMain, parseArgs } from './cli-args.js';
import { w2Config } from './w2-poe-vae.js';

type RunKernel = (name: string, ...rest: unknown[]) => unknown;

/** Times every outermost kernel while `on`; returns the totals by kernel name. */
function timeKernels() {
  const engine = tf.engine() as unknown as { runKernel: RunKernel };
  const original = engine.runKernel.bind(engine);
  const totals = new Map<string, { calls: number; ms: number }>();
  let depth = 0;
  let on = false;
  engine.runKernel = (name, ...rest) => {
    if (!on || depth > 0) return original(name, ...rest);
    const start = performance.now();
    depth++;
    try {
      return original(name, ...rest);
    } finally {
      depth--;
      const entry = totals.get(name) ?? { calls: 0, ms: 0 };
      entry.calls++;
      entry.ms += performance.now() - start;
      totals.set(name, entry);
    }
  };
  return { totals, start: () => (on = true), stop: () => (on = false) };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const images = intArg(args, 'images', 6400);
  const top = intArg(args, 'top', 20);
  const config = parseConfig(w2Config(1, images, 42, 'wasm'), 'bench W2 profile config');
  const out = await mkdtemp(join(tmpdir(), 'mmae-bench-w2-profile-'));
  const timer = timeKernels();
  try {
    const run = (name: string) =>
      trainJob({
        config: { config, baseDir: process.cwd() },
        out: join(out, name),
        quiet: true,
        log: () => {},
      });
    await run('warm-up');
    timer.start();
    const trained = await run('measured');
    timer.stop();
    const steps = Math.ceil(images / 128);
    const epochSeconds = trained.result.history[0]!.seconds;
    const rows = [...timer.totals].sort((a, b) => b[1].ms - a[1].ms);
    const kernelMs = rows.reduce((sum, [, t]) => sum + t.ms, 0);
    const kernels = rows.reduce((sum, [, t]) => sum + t.calls, 0);
    const round = (x: number, digits = 3) => Number(x.toFixed(digits));
    const line = {
      workload: 'W2-profile',
      images,
      steps,
      epochSeconds,
      msPerStep: round((epochSeconds * 1000) / steps),
      kernelsPerStep: round(kernels / steps, 1),
      // Kernel time includes the engine's own work inside runKernel (tensor records, tape).
      kernelMsPerStep: round(kernelMs / steps),
      outsideKernelsMsPerStep: round((epochSeconds * 1000 - kernelMs) / steps),
      top: rows.slice(0, top).map(([name, t]) => ({
        name,
        perStep: round(t.calls / steps, 1),
        msPerStep: round(t.ms / steps),
        usPerCall: round((t.ms / t.calls) * 1000, 1),
      })),
    };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}

if (isMain(import.meta.url)) await main();
