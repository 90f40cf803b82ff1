/**
 * mmae's optional native kernels (src/engine/native/*.cc, built by npm's install step with
 * node-gyp): matrix products with AVX-512 or AVX2 FMA, and the Adam step, that work in place on
 * tfjs-backend-wasm's heap. WebAssembly has only 128-bit SIMD without FMA, which caps tfjs's matMul at ~20 GFLOP/s
 * per core here; the native products run at 60–120 (BENCHMARKS.md). When the addon is not built
 * (no C++ compiler at install) or MMAE_NATIVE_KERNELS=0, everything runs on WebAssembly as before.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { SimdAdamStep } from '../adam/fused-adam-simd.js';

/** The addon's functions (addon.cc). Offsets are bytes into `heap`; bias −1 means none. */
export interface NativeKernels {
  matMul(
    heap: ArrayBufferLike,
    a: number,
    b: number,
    c: number,
    bias: number,
    biasSize: number,
    batch: number,
    batchA: number,
    batchB: number,
    m: number,
    n: number,
    k: number,
    transposeA: number,
    transposeB: number,
    activation: number,
    leakyAlpha: number,
  ): void;
  /** One Adam step (fused-adam.ts's SimdAdamStep with the heap first), bit-equal to tf.train.adam. */
  adam(heap: ArrayBufferLike, ...step: Parameters<SimdAdamStep>): void;
  /**
   * A dense layer's backward pass (dense-grad.cc) from x, W, y = act(x·W + b), dy: dx (the
   * input's part) and/or dW, db (the weights' part); an output offset of −1 skips its part.
   */
  denseGrad(
    heap: ArrayBufferLike,
    x: number,
    w: number,
    y: number,
    dy: number,
    dx: number,
    dw: number,
    db: number,
    batch: number,
    inputs: number,
    outputs: number,
    activation: number,
    leakyAlpha: number,
  ): void;
  /** Σ per row of the Bernoulli NLL of targets z under logits x (bernoulli-nll.cc). */
  bernoulliNll(
    heap: ArrayBufferLike,
    x: number,
    z: number,
    out: number,
    rows: number,
    cols: number,
  ): void;
  /** Its gradient: dx = (σ(x) − z)·dy[row], dz = −x·dy[row]. */
  bernoulliNllGrad(
    heap: ArrayBufferLike,
    x: number,
    z: number,
    dy: number,
    dx: number,
    dz: number,
    rows: number,
    cols: number,
  ): void;
  /** Softmax cross-entropy of token logits [rows, positions, vocab] against int32 ids, per row. */
  tokenNll(
    heap: ArrayBufferLike,
    logits: number,
    ids: number,
    out: number,
    rows: number,
    positions: number,
    vocab: number,
    pad: number,
  ): void;
  /** Its gradient for the logits: (softmax − one-hot)·dy[row], zero at pad positions. */
  tokenNllGrad(
    heap: ArrayBufferLike,
    logits: number,
    ids: number,
    dy: number,
    dlogits: number,
    rows: number,
    positions: number,
    vocab: number,
    pad: number,
  ): void;
  /**
   * Products of Gaussian experts over subsets, a sample and its KL each (poe-sample.cc):
   * rows, latent, experts M, subsets S, withPrior 0/1, membership[S·M], then the offsets of
   * params[M], present[M], eps[S], z[S], kl[S].
   */
  poeSample(heap: ArrayBufferLike, ...numbers: number[]): void;
  /** Its gradient: the same header, then params[M], present[M], eps[S], dz[S], dkl[S], dparams[M]. */
  poeSampleGrad(heap: ArrayBufferLike, ...numbers: number[]): void;
  /** out[o, i] = Σ_m x[o, m, i] for x viewed as [outer, mid, inner] (reduce-sum.cc). */
  sumMiddle(
    heap: ArrayBufferLike,
    x: number,
    out: number,
    outer: number,
    mid: number,
    inner: number,
  ): void;
  /**
   * y = act(conv2d(x, w) + bias), NHWC (conv2d.cc); `shape` is batch, inH, inW, inC, outH, outW,
   * outC, fH, fW, strideH, strideW, dilationH, dilationW, padTop, padLeft. bias −1 for none.
   */
  conv2d(
    heap: ArrayBufferLike,
    x: number,
    w: number,
    bias: number,
    biasSize: number,
    y: number,
    activation: number,
    leakyAlpha: number,
    ...shape: number[]
  ): void;
  /** The input gradient dx of a conv2d from dy and w; the same 15-number shape. */
  conv2dBackpropInput(
    heap: ArrayBufferLike,
    dy: number,
    w: number,
    dx: number,
    ...shape: number[]
  ): void;
  /** The filter gradient dw of a conv2d from x and dy; the same 15-number shape. */
  conv2dBackpropFilter(
    heap: ArrayBufferLike,
    x: number,
    dy: number,
    dw: number,
    ...shape: number[]
  ): void;
  /**
   * A conv layer's backward pass (conv2d.cc) from x, w, y = act(conv2d(x, w) + b) and dy: dx
   * (the input's part) and/or dw, db (the weights' part); an output offset of −1 skips it.
   */
  conv2dLayerGrad(
    heap: ArrayBufferLike,
    x: number,
    w: number,
    y: number,
    dy: number,
    dx: number,
    dw: number,
    db: number,
    activation: number,
    leakyAlpha: number,
    ...shape: number[]
  ): void;
  /**
   * A nearest (bilinear 0) or bilinear (1) resize of NHWC images x into y (resize.cc), with
   * tfjs's alignCorners and halfPixelCenters (0/1).
   */
  resize(heap: ArrayBufferLike, x: number, y: number, ...shape: ResizeShapeNumbers): void;
  /** Its gradient: dx (the images' shape) from dy (the resized shape), the same shape numbers. */
  resizeGrad(heap: ArrayBufferLike, dx: number, dy: number, ...shape: ResizeShapeNumbers): void;
  /** Max pooling of NHWC x into y (max-pool.cc). */
  maxPool(heap: ArrayBufferLike, x: number, y: number, ...shape: PoolShapeNumbers): void;
  /** Its gradient: dy to the first maximum of each window of x, summed into dx. */
  maxPoolGrad(
    heap: ArrayBufferLike,
    x: number,
    dy: number,
    dx: number,
    ...shape: PoolShapeNumbers
  ): void;
  /** 'avx512', 'avx2' or 'generic': what the products run on. */
  isa(): string;
  /** How many threads (the caller included) the kernels use from now on; an integer ≥ 1. */
  setThreads(count: number): void;
  /** The current setting: defaultThreads() until setThreads is called. */
  threads(): number;
  /** The cores the process may run on (its CPU affinity), which is the default. */
  defaultThreads(): number;
  /**
   * For the benchmarks, with MMAE_POOL_STATS=1 (zeros otherwise): over every call the pool ran
   * on several threads, [calls, CPU seconds of the parts on the calling thread, on all threads,
   * of the busiest thread per call summed] (thread-pool.h).
   */
  poolStats(): [number, number, number, number];
  /** The calling (JS) thread's CPU seconds. */
  threadCpuSeconds(): number;
}

/** batch, inHeight, inWidth, channels, outHeight, outWidth, bilinear, alignCorners, halfPixelCenters. */
export type ResizeShapeNumbers = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

/**
 * batch, inHeight, inWidth, channels, outHeight, outWidth, filterHeight, filterWidth,
 * strideHeight, strideWidth, dilationHeight, dilationWidth, padTop, padLeft.
 */
export type PoolShapeNumbers = [
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
  number,
];

export interface NativeKernelStatus {
  readonly loaded: boolean;
  /** The instruction set, or why the kernels are off and what to do. */
  readonly note: string;
}

const ADDON = 'build/Release/mmae_kernels.node';

/** Where the addon may be: beside this file (src/ run by tsx), or in src/ when run from dist/. */
function addonCandidates(): string[] {
  return ['./', '../../../../src/engine/native/'].map((dir) =>
    fileURLToPath(new URL(dir + ADDON, import.meta.url)),
  );
}

let cached: { kernels: NativeKernels | undefined; status: NativeKernelStatus } | undefined;

function load(): { kernels: NativeKernels | undefined; status: NativeKernelStatus } {
  if (process.env.MMAE_NATIVE_KERNELS === '0') {
    return { kernels: undefined, status: { loaded: false, note: 'off (MMAE_NATIVE_KERNELS=0)' } };
  }
  const path = addonCandidates().find((candidate) => existsSync(candidate));
  if (path === undefined) {
    return {
      kernels: undefined,
      status: {
        loaded: false,
        note:
          'not built (no C++ compiler or node-gyp at install); run `npm rebuild mmae` ' +
          'or `node src/engine/native/build-addon.mjs` after installing g++ and make',
      },
    };
  }
  try {
    const kernels = createRequire(import.meta.url)(path) as NativeKernels;
    return { kernels, status: { loaded: true, note: `${kernels.isa()} (${path})` } };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      kernels: undefined,
      status: { loaded: false, note: `${path} failed to load: ${reason}; rebuild it` },
    };
  }
}

/** The native kernels, or undefined when they are off or not built. */
export function nativeKernels(): NativeKernels | undefined {
  cached ??= load();
  return cached.kernels;
}

/** Whether the native kernels are in use, for `mmae doctor`. */
export function nativeKernelStatus(): NativeKernelStatus {
  cached ??= load();
  return cached.status;
}
