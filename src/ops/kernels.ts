/**
 * The kernels mmae's ops (and FusedAdamOptimizer) call, by name, with their attributes and limits.
 * The ops call them where the active backend has them and compose plain tfjs ops elsewhere; the
 * speed engine (src/engine) implements and registers them. As in tfjs, where the kernel names live
 * with the ops in tfjs-core and each backend imports them, the dependency runs one way:
 * engine → ops, so the ops run on any backend, in a browser too, without the engine.
 */

export const DENSE_KERNEL = 'MmaeDense';
export const DENSE_GRAD_KERNEL = 'MmaeDenseGrad';

export interface DenseAttrs {
  /** One of tf.fused.matMul's activations except prelu. */
  readonly activation: string;
  readonly leakyreluAlpha: number;
}

export interface DenseGradAttrs extends DenseAttrs {
  /** 'weights': outputs [dW, db]; 'input': [dx]. */
  readonly parts: 'weights' | 'input';
}

export const CONV2D_KERNEL = 'MmaeConv2D';
export const CONV2D_GRAD_KERNEL = 'MmaeConv2DGrad';

/** A 2-D convolution layer, NHWC: tf.fused.conv2d's attributes (one of its activations but prelu). */
export interface Conv2DAttrs extends DenseAttrs {
  readonly strides: [number, number];
  readonly pad: 'same' | 'valid';
  readonly dilations: [number, number];
}

export interface Conv2DGradAttrs extends Conv2DAttrs {
  /** 'weights': outputs [dFilter, dBias]; 'input': [dx]. */
  readonly parts: 'weights' | 'input';
}

export const BERNOULLI_NLL_KERNEL = 'MmaeBernoulliNll';
export const BERNOULLI_NLL_GRAD_KERNEL = 'MmaeBernoulliNllGrad';

export const TOKEN_NLL_KERNEL = 'MmaeTokenNll';
export const TOKEN_NLL_GRAD_KERNEL = 'MmaeTokenNllGrad';

export interface TokenNllAttrs {
  /** The id whose positions count for nothing. */
  readonly pad: number;
}

export const POE_SAMPLE_KERNEL = 'MmaePoeSample';
export const POE_SAMPLE_GRAD_KERNEL = 'MmaePoeSampleGrad';

export interface PoeSampleAttrs {
  readonly experts: number;
  readonly subsets: number;
  /** member[s · experts + m] = 1 when expert m belongs to subset s. */
  readonly member: readonly number[];
  /** Whether the N(0, I) prior expert takes part in every product. */
  readonly withPrior: boolean;
}

/** How many numbers one native call takes (kMaxNumbers in addon.cc). */
const MAX_NUMBERS = 160;

/**
 * Whether the kernels take this many experts and subsets: the backward call passes the header
 * (5), the membership table (S·M) and 3 offsets per expert and per subset. MoPoE over 4
 * modalities (15 subsets) fits; over 5 (31 subsets) it does not, and runs on tfjs ops.
 */
export function poeSampleFits(experts: number, subsets: number): boolean {
  return 5 + subsets * experts + 3 * experts + 3 * subsets <= MAX_NUMBERS;
}

/** One Adam step for `count` variables (FusedAdamOptimizer, src/train/fused-adam-optimizer.ts). */
export const FUSED_ADAM_KERNEL = 'MmaeFusedAdam';

/** The roles of a variable's four inputs, in the order the kernel names them. */
export type FusedAdamRole = 'x' | 'm' | 'v' | 'g';

export function fusedAdamInputName(role: FusedAdamRole, index: number): string {
  return `${role}${index}`;
}

export interface FusedAdamAttrs {
  readonly count: number;
  readonly learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** 1 − β₁ᵗ for this step (t counted from 1), β₁ᵗ as tfjs accumulates it (float32 products). */
  readonly biasCorrection1: number;
  /** 1 − β₂ᵗ for this step. */
  readonly biasCorrection2: number;
}
