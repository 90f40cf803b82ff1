/**
 * Which values a decoder can emit. A sigmoid mean can never reach data scaled to [-1, 1]; the
 * config validator asks `activationReachesRange` to warn about such pairs before training.
 */
import type { ImageOptions } from './options.js';

/** The closed hull of each activation's image. */
export const ACTIVATION_RANGES = {
  sigmoid: [0, 1],
  tanh: [-1, 1],
  relu: [0, Infinity],
  linear: [-Infinity, Infinity],
} as const satisfies Record<string, readonly [number, number]>;

export type Activation = keyof typeof ACTIVATION_RANGES;

/** The activations an image decoder's last layer may use. */
export type DecoderOutputActivation = 'sigmoid' | 'linear';

/** True when every value in `range` is reachable (or a limit of) the activation's outputs. */
export function activationReachesRange(
  activation: Activation,
  range: readonly [number, number],
): boolean {
  const [low, high] = ACTIVATION_RANGES[activation];
  return low <= range[0] && range[1] <= high;
}

/** The last layer's activation: logits stay linear; a Gaussian mean takes the chosen one. */
export function decoderOutputActivation(options: ImageOptions): DecoderOutputActivation {
  return options.likelihood === 'bernoulli' ? 'linear' : options.outputActivation;
}

/** The range of the features `outputToFeatures` gives back (a Bernoulli mean is a sigmoid). */
export function featureOutputRange(options: ImageOptions): readonly [number, number] {
  return ACTIVATION_RANGES[
    options.likelihood === 'bernoulli' ? 'sigmoid' : options.outputActivation
  ];
}
