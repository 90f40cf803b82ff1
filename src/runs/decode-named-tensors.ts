/**
 * The reverse of encodeNamedTensors: bytes + specs → tensors in spec order, via
 * `tf.io.decodeWeights`. The byte length is checked first, so a truncated or padded file is a
 * clear RunError rather than a tfjs RangeError.
 */
import * as tf from '@tensorflow/tfjs';
import { RunError } from '../errors/errors.js';
import type { NamedTensor } from './named-tensor.js';
import { specByteLength, type WeightSpec } from './weights-manifest.js';

/** `file` names the binary file and `specFile` the JSON that describes it, for messages. */
export function decodeNamedTensors(
  data: Uint8Array,
  specs: readonly WeightSpec[],
  file: string,
  specFile: string,
): NamedTensor[] {
  const names = new Set<string>();
  for (const spec of specs) {
    if (names.has(spec.name)) {
      throw new RunError(`${specFile} lists the weight '${spec.name}' twice; the file is damaged.`, specFile);
    }
    names.add(spec.name);
  }
  const expected = specs.reduce((total, spec) => total + specByteLength(spec), 0);
  if (data.byteLength !== expected) {
    throw new RunError(
      `${file} holds ${data.byteLength} bytes but ${specFile} describes ${expected}; the two files ` +
        'do not belong together. Restore both from the same checkpoint.',
      file,
    );
  }
  // decodeWeights wants an ArrayBuffer holding exactly these bytes, not a view into a larger pool.
  const buffer = data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength) as ArrayBuffer;
  const decoded = tf.io.decodeWeights(buffer, specs.map((spec) => ({ ...spec })));
  return specs.map((spec) => ({ name: spec.name, tensor: decoded[spec.name] as tf.Tensor }));
}
