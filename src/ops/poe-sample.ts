/**
 * Products of diagonal-Gaussian experts over subsets of the experts, each with one
 * reparameterised sample z and its KL to N(0, I): the posteriors MVAE (the joint and each
 * modality alone) and MoPoE (every non-empty subset) train on. One kernel each way where mmae has
 * them (the native kernels on wasm), the tfjs composition of src/distributions/gaussian.ts
 * elsewhere. Same values either way, to float32 rounding, and the same draws: subset s samples
 * with seeds[s].
 */
import * as tf from '@tensorflow/tfjs';
import {
  poeSampleFits,
  POE_SAMPLE_GRAD_KERNEL,
  POE_SAMPLE_KERNEL,
  type PoeSampleAttrs,
} from './kernels.js';
import {
  klToStandardNormal,
  productOfExperts,
  sample,
  splitGaussian,
} from '../distributions/gaussian.js';

export interface SubsetSample {
  /** One reparameterised draw from the subset's product, [b, latent]. */
  readonly z: tf.Tensor2D;
  /** KL(product ‖ N(0, I)) per sample, [b]. */
  readonly kl: tf.Tensor1D;
}

export interface ExpertProducts {
  /** Each expert's projection [b, 2·latent], read as [μ, log σ²] (log σ² clipped to ±12). */
  readonly params: readonly tf.Tensor2D[];
  /** Each expert's [b] 0/1 presence: an absent expert adds no precision. */
  readonly present: readonly tf.Tensor1D[];
  /** The experts (indices into params) of each product. */
  readonly subsets: readonly (readonly number[])[];
  /** One seed per subset, for its ε ~ N(0, I). */
  readonly seeds: readonly number[];
  /** The N(0, I) prior expert takes part in every product (MVAE). Default true. */
  readonly withPrior?: boolean;
}

function composed(p: ExpertProducts, withPrior: boolean): SubsetSample[] {
  const experts = p.params.map((params) => splitGaussian(params));
  return p.subsets.map((subset, s) => {
    const masks = p.present.map((mask, m) => (subset.includes(m) ? mask : tf.zerosLike(mask)));
    const q = productOfExperts(experts, masks, withPrior);
    return { z: sample(q, p.seeds[s]!), kl: klToStandardNormal(q) };
  });
}

let gradientRegistered = false;

/**
 * The kernel's gradient, registered once. Its inputs are saved (params…, present…, eps…); one
 * kernel call computes every expert's gradient, which the tape then takes per input (presence
 * masks and draws are data: their gradients are zeros, should anything ask).
 */
function registerGradient(): void {
  if (gradientRegistered) return;
  tf.registerGradient({
    kernelName: POE_SAMPLE_KERNEL,
    saveAllInputs: true,
    gradFunc: (dys, saved, attrs) => {
      const a = attrs as unknown as PoeSampleAttrs;
      const inputs = [...saved, ...(dys as tf.Tensor[])];
      const dparams = tf
        .engine()
        .runKernel(
          POE_SAMPLE_GRAD_KERNEL,
          inputs as unknown as tf.NamedTensorMap,
          attrs,
        ) as tf.Tensor[];
      const grads: Record<string, () => tf.Tensor> = {};
      saved.forEach(
        (t, i) => (grads[i] = i < a.experts ? () => dparams[i]! : () => tf.zerosLike(t)),
      );
      return grads;
    },
  });
  gradientRegistered = true;
}

function fused(p: ExpertProducts, withPrior: boolean): SubsetSample[] {
  registerGradient();
  const experts = p.params.length;
  const [rows, twiceLatent] = p.params[0]!.shape;
  const attrs: PoeSampleAttrs = {
    experts,
    subsets: p.subsets.length,
    member: p.subsets.flatMap((subset) =>
      Array.from({ length: experts }, (_, m) => (subset.includes(m) ? 1 : 0)),
    ),
    withPrior,
  };
  // The draws of composed's sample(), seed for seed.
  const eps = p.seeds.map((seed) =>
    tf.randomNormal([rows, twiceLatent / 2], 0, 1, 'float32', seed),
  );
  // An array of inputs, as AddN takes: the registered gradient saves them all in this order.
  const inputs = [...p.params, ...p.present, ...eps];
  const outputs = tf
    .engine()
    .runKernel(
      POE_SAMPLE_KERNEL,
      inputs as unknown as tf.NamedTensorMap,
      attrs as unknown as tf.NamedAttrMap,
    ) as tf.Tensor[];
  return p.subsets.map((_, s) => ({
    z: outputs[s] as tf.Tensor2D,
    kl: outputs[attrs.subsets + s] as tf.Tensor1D,
  }));
}

/** One SubsetSample per subset, in the order of `subsets`. */
export function sampleExpertProducts(products: ExpertProducts): SubsetSample[] {
  const { params, present, subsets, seeds } = products;
  if (params.length === 0 || params.length !== present.length) {
    throw new RangeError(
      `sampleExpertProducts: ${params.length} expert projections and ${present.length} ` +
        'presence masks; pass one mask per expert (and at least one expert)',
    );
  }
  if (seeds.length !== subsets.length) {
    throw new RangeError(
      `sampleExpertProducts: ${subsets.length} subsets but ${seeds.length} seeds; pass one seed per subset`,
    );
  }
  const bad = subsets.flat().find((m) => !Number.isInteger(m) || m < 0 || m >= params.length);
  if (bad !== undefined) {
    throw new RangeError(
      `sampleExpertProducts: subset member ${bad} is not an expert index; use 0…${params.length - 1}`,
    );
  }
  const withPrior = products.withPrior ?? true;
  const nativeOk =
    poeSampleFits(params.length, subsets.length) &&
    tf.getKernel(POE_SAMPLE_KERNEL, tf.getBackend()) !== undefined &&
    params.every((t) => t.dtype === 'float32' && t.rank === 2) &&
    present.every((t) => t.dtype === 'float32') &&
    params.every((t) => tf.util.arraysEqual(t.shape, params[0]!.shape));
  return nativeOk ? fused(products, withPrior) : composed(products, withPrior);
}
