import type * as tf from '@tensorflow/tfjs';

/** A tensor with the name it is saved under, e.g. `encoder.image/dense_1/kernel` or an Adam slot. */
export interface NamedTensor {
  readonly name: string;
  readonly tensor: tf.Tensor;
}

export function disposeNamedTensors(tensors: readonly NamedTensor[]): void {
  for (const { tensor } of tensors) tensor.dispose();
}
