/** The W1 lever sets selectable with `--variant` (BENCHMARKS.md, "W1 speed levers"). */
import type { W1Levers } from './w1-types.js';

export const W1_VARIANTS: Record<string, W1Levers> = {
  /** The naive loop: unfused layers, loss read back every step, batches gathered on demand. */
  baseline: {
    fused: false,
    syncEachStep: true,
    prefetch: false,
    plainGrad: false,
    flatAdam: false,
  },
  fused: { fused: true, syncEachStep: true, prefetch: false, plainGrad: false, flatAdam: false },
  nosync: { fused: false, syncEachStep: false, prefetch: false, plainGrad: false, flatAdam: false },
  prefetch: { fused: false, syncEachStep: true, prefetch: true, plainGrad: false, flatAdam: false },
  /** The three cheap levers of the brief on. */
  levers: { fused: true, syncEachStep: false, prefetch: true, plainGrad: false, flatAdam: false },
  /** Only the transposed-matMul workaround. */
  plaingrad: {
    fused: false,
    syncEachStep: true,
    prefetch: false,
    plainGrad: true,
    flatAdam: false,
  },
  /** The cheap levers and the transposed-matMul workaround (an earlier default). */
  all: { fused: true, syncEachStep: false, prefetch: true, plainGrad: true, flatAdam: false },
  /** Only the single Adam update over all parameters. */
  flatadam: { fused: false, syncEachStep: true, prefetch: false, plainGrad: false, flatAdam: true },
  /** The baseline loop on patched wasm matMul kernels: fixes every caller, not only our dense. */
  kernelpatch: {
    fused: false,
    syncEachStep: true,
    prefetch: false,
    plainGrad: false,
    flatAdam: false,
    kernelPatch: true,
  },
  /** The cheap levers on patched kernels (the default of `npm run bench` before fusedadam). */
  leverspatch: {
    fused: true,
    syncEachStep: false,
    prefetch: true,
    plainGrad: false,
    flatAdam: false,
    kernelPatch: true,
  },
  /** leverspatch with mmae's fused Adam kernel (src/train/fused-adam-optimizer.ts): the default. */
  fusedadam: {
    fused: true,
    syncEachStep: false,
    prefetch: true,
    plainGrad: false,
    flatAdam: false,
    kernelPatch: true,
    fusedAdam: true,
  },
  /** fusedadam in two worker_threads, each on half of every batch (w1-data-parallel.ts). */
  dataparallel: {
    fused: true,
    syncEachStep: false,
    prefetch: true,
    plainGrad: false,
    flatAdam: false,
    kernelPatch: true,
    fusedAdam: true,
    workers: 2,
  },
  /** Everything. */
  allflat: { fused: true, syncEachStep: false, prefetch: true, plainGrad: true, flatAdam: true },
};
