/** The W1 lever sets selectable with `--variant` (BENCHMARKS.md, "W1 speed levers"). */
import type { W1Levers } from './w1-types.js';

/** The naive loop: unfused layers, loss read back every step, batches gathered on demand. */
const BASELINE: W1Levers = {
  fused: false,
  syncEachStep: true,
  prefetch: false,
  plainGrad: false,
  flatAdam: false,
};

/** The baseline with the named levers changed. */
const withLevers = (levers: Partial<W1Levers>): W1Levers => ({ ...BASELINE, ...levers });

/** The three cheap levers of the brief. */
const CHEAP = { fused: true, syncEachStep: false, prefetch: true } as const;

export const W1_VARIANTS: Record<string, W1Levers> = {
  baseline: BASELINE,
  fused: withLevers({ fused: true }),
  nosync: withLevers({ syncEachStep: false }),
  prefetch: withLevers({ prefetch: true }),
  levers: withLevers(CHEAP),
  /** Only the transposed-matMul workaround. */
  plaingrad: withLevers({ plainGrad: true }),
  /** The cheap levers and the transposed-matMul workaround (an earlier default). */
  all: withLevers({ ...CHEAP, plainGrad: true }),
  /** Only the single Adam update over all parameters. */
  flatadam: withLevers({ flatAdam: true }),
  /** The baseline loop on patched wasm matMul kernels: fixes every caller, not only our dense. */
  kernelpatch: withLevers({ kernelPatch: true }),
  /** The cheap levers on patched kernels (the default of `npm run bench` before fusedadam). */
  leverspatch: withLevers({ ...CHEAP, kernelPatch: true }),
  /** leverspatch with mmae's fused Adam kernel (src/train/fused-adam-optimizer.ts). */
  fusedadam: withLevers({ ...CHEAP, kernelPatch: true, fusedAdam: true }),
  /** fusedadam on mmae's native matMul kernels (what mmae trains with when they are built): the default. */
  native: withLevers({ ...CHEAP, kernelPatch: true, fusedAdam: true, nativeKernels: true }),
  /** native with mmae's dense op: one backward kernel per layer. */
  nativedense: withLevers({
    ...CHEAP,
    kernelPatch: true,
    fusedAdam: true,
    nativeKernels: true,
    denseOp: true,
  }),
  /** nativedense in two worker_threads, each on half of every batch. */
  nativeparallel: withLevers({
    ...CHEAP,
    kernelPatch: true,
    fusedAdam: true,
    nativeKernels: true,
    denseOp: true,
    workers: 2,
  }),
  /** fusedadam in two worker_threads, each on half of every batch (w1-data-parallel.ts). */
  dataparallel: withLevers({ ...CHEAP, kernelPatch: true, fusedAdam: true, workers: 2 }),
  /** Everything. */
  allflat: withLevers({ ...CHEAP, plainGrad: true, flatAdam: true }),
};
