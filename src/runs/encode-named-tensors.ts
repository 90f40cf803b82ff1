/**
 * Named tensors → one binary blob plus its weight specs, via `tf.io.encodeWeights`. The caller's
 * order is kept (it is the order the model lists its weights), so the same model always writes
 * the same bytes.
 */
import * as tf from '@tensorflow/tfjs';
import { RunError } from '../errors/errors.js';
import type { NamedTensor } from './named-tensor.js';
import { BYTES_PER_ELEMENT, type WeightSpec } from './weights-manifest.js';

export interface EncodedTensors {
  readonly data: Uint8Array;
  readonly specs: WeightSpec[];
}

/** `what` names the set for messages, e.g. "weights" or "optimizer state". */
export async function encodeNamedTensors(
  tensors: readonly NamedTensor[],
  what: string,
): Promise<EncodedTensors> {
  const seen = new Set<string>();
  for (const { name, tensor } of tensors) {
    if (name === '') throw new RunError(`Cannot save ${what}: a tensor has an empty name.`);
    if (seen.has(name)) {
      throw new RunError(`Cannot save ${what}: the name '${name}' is used twice; names must be unique.`);
    }
    seen.add(name);
    if (tensor.isDisposed) {
      throw new RunError(`Cannot save ${what}: the tensor '${name}' was disposed before saving.`);
    }
    if (!(tensor.dtype in BYTES_PER_ELEMENT)) {
      throw new RunError(
        `Cannot save ${what}: '${name}' has dtype ${tensor.dtype}; only float32, int32 and bool are saved.`,
      );
    }
  }
  const { data, specs } = await tf.io.encodeWeights(
    tensors.map(({ name, tensor }) => ({ name, tensor })),
  );
  return {
    data: new Uint8Array(data),
    specs: specs.map(({ name, shape, dtype }) => ({ name, shape, dtype: dtype as WeightSpec['dtype'] })),
  };
}
