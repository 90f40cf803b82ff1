/** The W1 contract between the workload script and whichever trainer it measures. */
import type { MnistImages } from './mnist-idx.js';

export interface W1Data {
  readonly train: MnistImages;
  readonly test: MnistImages;
}

/** Speed levers of the plain-tfjs trainer; the mmae trainer may ignore them. */
export interface W1Levers {
  /** tf.fused.matMul with bias and activation instead of matMul + add + relu. */
  readonly fused: boolean;
  /** Read the loss back (dataSync) after every step, as a naive logging loop does. */
  readonly syncEachStep: boolean;
  /** Shuffle the epoch into one buffer up front instead of gathering each batch on demand. */
  readonly prefetch: boolean;
  /** Dense layers whose gradient avoids transposed matMuls (slow on wasm): dense-plain-grad.ts. */
  readonly plainGrad: boolean;
  /** One Adam update over all parameters concatenated instead of per variable: flat-adam.ts. */
  readonly flatAdam: boolean;
  /**
   * Replace the wasm BatchMatMul/_FusedMatMul kernels by transpose + plain product
   * (src/engine/wasm/untransposed-matmul.ts). Process-wide and irreversible: only for whole-run variants.
   */
  readonly kernelPatch?: boolean;
  /**
   * Every kernel and gradient patch mmae applies on wasm, with its native kernels (AVX-512/AVX2
   * FMA matMul, dense gradient and Adam on the wasm heap, src/engine/native); process-wide.
   */
  readonly nativeKernels?: boolean;
  /** mmae's dense op (src/ops/dense.ts): a layer's backward pass as one native kernel. */
  readonly denseOp?: boolean;
  /** mmae's FusedAdamOptimizer: one wasm kernel updates every variable and both moments. */
  readonly fusedAdam?: boolean;
  /**
   * Train with this many worker_threads, each computing its share of every batch
   * (w1-data-parallel.ts); the other levers apply inside each worker.
   */
  readonly workers?: number;
}

export interface W1Options {
  readonly epochs: number;
  readonly seed: number;
  readonly batchSize: number;
  readonly levers: W1Levers;
}

export interface W1Outcome {
  readonly epochSeconds: number[];
  /** Process CPU time (user + system) per epoch: steadier than wall time on a shared machine. */
  readonly epochCpuSeconds: number[];
  /** Mean over pixels and images of the 10k test set. */
  readonly testMse: number;
  readonly lastTrainLoss: number;
}

/** The one function to swap when W1 moves to the mmae trainer API. */
export type W1Trainer = (data: W1Data, options: W1Options) => Promise<W1Outcome>;
